"""The customer import job: read, validate, deduplicate, write in batches, categorise.

A CSV file is first scanned once without interpretation, so a file that cannot be read
to its end (wrong encoding, broken quoting, a gigantic field) fails the job before a
single row is written, and progress has a true total. Rows are then validated in a
worker thread and written batch by batch, each batch one transaction with its row
errors: a process killed mid-import leaves whole batches, never half of one, and the
job is failed by the stale-job sweep. Re-running the same file with onDuplicate UPDATE
converges (rows already written come out unchanged).

With errorPolicy REJECT_EVERYTHING a first pass only validates; only a file without a
single failed row is then written, in one transaction.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import csv
import datetime as dt
import io
import os
from collections.abc import Awaitable, Iterator
from dataclasses import astuple
from pathlib import Path
from typing import Any

import xlsxwriter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer, ImportRowError, Job, User
from models.base import utcnow
from resolvers.categorisation import categorize_customers, categorize_in_parts
from resolvers.customer_columns import HEADERS
from resolvers.import_batches import (
    KEY_COLUMNS,
    Batch,
    BatchOutcome,
    Counts,
    ImportContext,
    record_row_errors,
)
from resolvers.import_files import (
    CsvTable,
    FileFormat,
    UnreadableFile,
    XlsxTable,
    is_blank,
    open_table,
)
from resolvers.import_known_keys import KnownKeys
from resolvers.import_options import DuplicatePolicy, ErrorPolicy, ImportOptions
from resolvers.import_rows import (
    API_FIELDS,
    ColumnMapping,
    ParsedRow,
    RowError,
    RowParser,
    RowRules,
    map_columns,
)
from resolvers.import_seen import SeenValues
from resolvers.jobs import job_kind
from resolvers.ports import JobContext
from resolvers.spreadsheet_safety import neutralise, unneutralise

JOB_KIND = "customer-import"
# How long an error report stays downloadable when the job does not say (the API passes
# the download-link lifetime from settings, as exports do).
REPORT_TTL = dt.timedelta(hours=1)
PROCESS_FROM_ROWS = 5000
PROCESS_FROM_BYTES = 256 * 1024  # about 2,000 rows: worth starting the helper early
# Below this many created or updated customers, a second connection is not worth it.
PARALLEL_CATEGORISATION_FROM = 5000
CONCURRENT_BATCHES = 2  # PostgreSQL: batch transactions written at the same time
# Batches validated ahead of the writes: enough that neither the helper nor the writer
# waits for the other, a few thousand rows in memory.
READ_AHEAD = 2


def _scan(table: CsvTable | XlsxTable) -> tuple[list[str], int]:
    """The header and the number of non-blank data rows; reads the whole file once."""
    rows = table.rows()
    first = next(rows, None)
    if first is None or is_blank(first[1]):
        raise UnreadableFile("The first row must be the header row; it is empty")
    if isinstance(table, XlsxTable):
        declared = table.declared_rows()  # an upper bound: blank rows are not counted later
        return first[1], declared - 1 if declared else -1
    count = sum(1 for _, cells in rows if not is_blank(cells))
    return first[1], count


async def _all(*steps: Awaitable[Any]) -> list[Any]:
    """The steps' results, run at once. Cancelled, it still waits for every step to end:
    a thread or the helper cannot be stopped halfway, and the caller must not go on to
    reuse the file while one is still reading it."""
    futures = [asyncio.ensure_future(step) for step in steps]
    try:
        await asyncio.wait(futures)
    except asyncio.CancelledError:
        await asyncio.wait(futures)
        raise
    return [future.result() for future in futures]


def _read_records(rows: Iterator[tuple[int, list[str]]], size: int) -> list[tuple[int, list[str]]]:
    batch: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        if is_blank(cells):
            continue
        batch.append((number, cells))
        if len(batch) >= size:
            break
    return batch


def validate_records(
    rules: RowRules | None, records: list[tuple[int, list[str]]]
) -> list[ParsedRow]:
    if rules is None:
        return []  # (a warm-up call that starts the helper process)
    parser = RowParser(rules)
    return [parser.parse(number, cells) for number, cells in records]


Verdict = tuple[dict[str, Any], list[tuple[Any, ...]]]


def validate_records_compactly(
    rules: RowRules, records: list[tuple[int, list[str]]]
) -> list[Verdict]:
    """What a helper process sends back: each row's values and errors as plain tuples,
    without the cells the caller already has (pickling whole rows cost half as much as
    validating them)."""
    return [
        (parsed.values, [astuple(e) for e in parsed.errors])
        for parsed in validate_records(rules, records)
    ]


def rebuild(records: list[tuple[int, list[str]]], verdicts: list[Verdict]) -> list[ParsedRow]:
    return [
        ParsedRow(row=number, cells=cells, values=values, errors=[RowError(*e) for e in errors])
        for (number, cells), (values, errors) in zip(records, verdicts, strict=True)
    ]


class ErrorReport:
    """The failed rows in their original columns plus an ``error`` column, in the input's
    format, written as failures arrive; fixable and re-importable as it is."""

    def __init__(
        self,
        ctx: JobContext,
        mapping: ColumnMapping,
        table: CsvTable | XlsxTable,
        options: ImportOptions,
    ):
        self.ctx = ctx
        self.headers = [*mapping.headers, "error"]
        self.workbook = isinstance(table, XlsxTable)
        ttl = ctx.options.get("fileTtlSeconds")
        self._ttl = dt.timedelta(seconds=ttl) if ttl else REPORT_TTL
        self.options = options
        self.delimiter = table.delimiter or ","
        self._stack = contextlib.ExitStack()
        self._out: Any = None
        self._stored: list[Any] = []
        self._rows: list[list[str]] = []
        self.count = 0

    def _cell(self, text: str) -> str:
        if self.options.reverse_neutralisation:
            return neutralise(unneutralise(text))
        return text

    def add(self, rows: list[ParsedRow]) -> None:
        for parsed in rows:
            message = "; ".join(
                f"{e.column}: {e.message}" if e.column else e.message for e in parsed.errors
            )
            cells = parsed.cells + [""] * (len(self.headers) - 1 - len(parsed.cells))
            self._rows.append([*cells[: len(self.headers) - 1], message])
            self.count += 1

    def _write_csv(self) -> None:
        text = io.StringIO()
        writer = csv.writer(text, delimiter=self.delimiter)
        if self._out is None:
            self._out, self._stored = self._stack.enter_context(
                self.ctx.files.writer(suffix=".csv")
            )
            text.write("\ufeff")  # so Excel reads the report as UTF-8
            writer.writerow(self.headers)
        writer.writerows([self._cell(c) for c in cells] for cells in self._rows)
        self._out.write(text.getvalue().encode("utf-8"))
        self._rows.clear()

    async def flush(self) -> None:
        if self._rows and not self.workbook:
            await self.ctx.in_thread(self._write_csv)

    def _write_xlsx(self) -> None:
        out, self._stored = self._stack.enter_context(self.ctx.files.writer(suffix=".xlsx"))
        book = xlsxwriter.Workbook(
            out,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        sheet = book.add_worksheet("Failed rows")
        bold = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
        for col, header in enumerate(self.headers):
            sheet.write_string(0, col, header, bold)
            sheet.set_column(col, col, min(60, max(12, len(header) + 2)))
        for number, cells in enumerate(self._rows, start=1):
            for col, text in enumerate(cells):
                sheet.write_string(number, col, text)
        sheet.freeze_panes(1, 0)
        book.close()

    async def close(self) -> dict[str, Any]:
        """The job result's file fields, or nothing when no row failed."""
        try:
            if self.count and self.workbook:
                await self.ctx.in_thread(self._write_xlsx)
            else:
                await self.flush()
        except BaseException:
            self._stack.close()
            raise
        await self.ctx.in_thread(self._stack.close)
        if not self._stored:
            return {}
        stem = Path(self.options.filename).stem or "customers"
        suffix = ".xlsx" if self.workbook else ".csv"
        return {
            "output_file_key": self._stored[0].key,
            "filename": f"{stem}-errors{suffix}",
            "expires_at": (utcnow() + self._ttl).isoformat(),
        }


async def _owners(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(User.email, User.id).where(User.active.is_(True)))
    return {email.casefold(): user_id for email, user_id in rows}


async def _actor_of(session: AsyncSession, job_id: int) -> int | None:
    return await session.scalar(select(Job.created_by_id).where(Job.id == job_id))


class ImportRun:
    def __init__(self, ctx: JobContext, options: ImportOptions) -> None:
        self.ctx = ctx
        self.options = options
        self.counts = Counts()
        self.processed = 0
        self._warm_up: asyncio.Future[Any] | None = None

    async def finish(self) -> None:
        if self._warm_up is not None:
            with contextlib.suppress(Exception):
                await self._warm_up

    async def prepare(self) -> None:
        ctx, options = self.ctx, self.options
        path = ctx.files.path(options.file_key)
        self.table = await ctx.in_thread(open_table, path, options.read)
        if await ctx.in_thread(os.path.getsize, path) >= PROCESS_FROM_BYTES:
            # Start the helper process (a second or two) while the file is scanned and
            # the first batch read; the first batch's validation queues behind it.
            self._warm_up = asyncio.ensure_future(ctx.in_process(validate_records, None, []))
        header, self.total = await ctx.in_thread(_scan, self.table)
        self.mapping = map_columns(
            header,
            explicit=options.mapping,
            business_type_required=options.default_business_type is None
            and options.on_duplicate is not DuplicatePolicy.UPDATE,
        )
        async with ctx.read_session() as session:
            owners = await _owners(session)
            self.actor_id = await _actor_of(session, ctx.job_id)
            self.known = await KnownKeys.load(session)
            self.dialect = session.get_bind().dialect.name
        config = ctx.config
        self.rules = RowRules(
            mapping=self.mapping,
            date_formats=options.date_formats,
            timezone=config.timezone,
            owners=owners,
            default_business_type=options.default_business_type,
            reverse_neutralisation=(
                options.reverse_neutralisation and isinstance(self.table, CsvTable)
            ),
            today=config.today(utcnow()),
        )
        await ctx.report(processed=0, total=self.total if self.total >= 0 else None)

    def _check_in_file(self, seen: SeenValues, rows: list[ParsedRow]) -> list[ParsedRow]:
        """Rows whose code, tax id or email appeared earlier in the file fail here."""
        probes = [
            (parsed, key, column)
            for parsed in rows
            if parsed.ok
            for key, column in KEY_COLUMNS.items()
            if parsed.values.get(key)
        ]
        earlier_rows = seen.first_rows(
            [hash((key, parsed.values[key])) for parsed, key, _ in probes],
            [parsed.row for parsed, _, _ in probes],
        )
        for (parsed, _, column), earlier in zip(probes, earlier_rows, strict=True):
            if earlier is not None:
                parsed.errors.append(
                    RowError(
                        row=parsed.row,
                        column=self.mapping.header_of(column),
                        field=API_FIELDS[column],
                        message=f"Row {earlier} of this file has the same "
                        f"{HEADERS[column].lower()}",
                        code="DUPLICATE_IN_FILE",
                    )
                )
        return rows

    async def run_pass(self, *, write: bool, one_transaction: bool) -> ErrorReport:
        ctx, options = self.ctx, self.options
        report = ErrorReport(ctx, self.mapping, self.table, options)
        rows = self.table.rows()
        await ctx.in_thread(next, rows, None)  # the header
        seen = SeenValues()
        self.counts = Counts()
        self.processed = 0
        size = ctx.options.get("batchRows") or 2000
        context = ImportContext(
            job_id=ctx.job_id,
            actor_id=self.actor_id,
            options=options,
            mapping=self.mapping,
            now=utcnow(),
            write=write,
            known=self.known,
        )
        # Batches are read, validated and checked against the file's earlier rows in file
        # order, up to READ_AHEAD batches ahead of the writes. A large file is validated in
        # a helper process, so validation (pure Python) and the writes (the event loop and
        # the driver) each have a core; the next batch is read while one is validated.
        in_process = self.total >= PROCESS_FROM_ROWS
        ready: asyncio.Queue[list[ParsedRow] | Exception] = asyncio.Queue(READ_AHEAD)

        async def validate(records: list[tuple[int, list[str]]]) -> list[ParsedRow]:
            if in_process:
                verdicts = await ctx.in_process(validate_records_compactly, self.rules, records)
                return rebuild(records, verdicts)
            return await ctx.in_thread(validate_records, self.rules, records)

        async def read_ahead() -> None:
            try:
                [records] = await _all(ctx.in_thread(_read_records, rows, size))
                while records:
                    parsed, records = await _all(
                        validate(records), ctx.in_thread(_read_records, rows, size)
                    )
                    await ready.put(self._check_in_file(seen, parsed))
                await ready.put([])
            except Exception as exc:  # the writes stop at it, in file order
                await ready.put(exc)

        async def next_batch() -> list[ParsedRow]:
            item = await ready.get()
            if isinstance(item, Exception):
                raise item
            return item

        async def write_alone(parsed: list[ParsedRow]) -> BatchOutcome:
            async with ctx.write_session() as session:
                outcome = await self._write_batch(session, context, parsed)
                await session.commit()
            return outcome

        async def settle(parsed: list[ParsedRow], outcome: BatchOutcome, *, progress: bool) -> None:
            self.counts.add(outcome.counts)
            report.add(outcome.failed_rows)
            await report.flush()
            self.processed += len(parsed)
            if progress:
                await ctx.report(
                    processed=self.processed,
                    total=self.total if self.total >= 0 else None,
                    progress=None if self.total >= 0 else 0.0,
                )

        # Batches in their own transactions may be written two at a time on PostgreSQL:
        # the server then works on two cores. They never contend for a row: a key seen
        # twice in the file fails its second row before either is written, and rows
        # matching existing customers are locked in id order. Outcomes are taken in file
        # order, so counts, the error report and progress read as if written one by one.
        writers = 1 if one_transaction or self.dialect != "postgresql" else CONCURRENT_BATCHES
        in_flight: collections.deque[tuple[list[ParsedRow], asyncio.Task[BatchOutcome]]] = (
            collections.deque()
        )
        async with contextlib.AsyncExitStack() as stack:
            shared = (
                await stack.enter_async_context(ctx.write_session()) if one_transaction else None
            )
            reader = asyncio.ensure_future(read_ahead())
            try:
                while parsed := await next_batch():
                    if shared is not None:
                        # (Inside one open transaction that holds locks on the job row,
                        # a progress write from another connection would wait forever.)
                        outcome = await self._write_batch(shared, context, parsed)
                        await settle(parsed, outcome, progress=False)
                        continue
                    in_flight.append((parsed, asyncio.ensure_future(write_alone(parsed))))
                    if len(in_flight) >= writers:
                        oldest, task = in_flight.popleft()
                        await settle(oldest, await task, progress=True)
                while in_flight:
                    oldest, task = in_flight.popleft()
                    await settle(oldest, await task, progress=True)
            finally:
                # The reading thread and the helper finish the batch they have either way.
                reader.cancel()
                await asyncio.gather(reader, return_exceptions=True)
                for _, task in in_flight:
                    with contextlib.suppress(Exception):
                        await task  # a batch already sent commits or rolls back whole
            if shared is not None:
                await shared.commit()
        # The true count (a workbook's declared size may include blank rows).
        await ctx.report(processed=self.processed, total=self.processed)
        return report

    async def _write_batch(
        self, session: AsyncSession, context: ImportContext, parsed: list[ParsedRow]
    ) -> BatchOutcome:
        batch = Batch(session, context)
        for row in parsed:
            if not row.ok:
                batch.fail(row, [])
        outcome = await batch.run([row for row in parsed if row.ok])
        await record_row_errors(session, job_id=self.ctx.job_id, errors=outcome.errors)
        return outcome

    async def categorise(self) -> None:
        """One set-based pass over the job's customers; a large job's pass runs in two
        halves at once on PostgreSQL (SQLite has one writer)."""
        scope = [Customer.import_job_id == self.ctx.job_id]
        touched = self.counts.created + self.counts.updated
        if self.dialect == "postgresql" and touched >= PARALLEL_CATEGORISATION_FROM:
            await categorize_in_parts(
                self.ctx.write_session, conditions=scope, parts=2, config=self.ctx.config
            )
            return
        async with self.ctx.write_session() as session:
            await categorize_customers(session, conditions=scope, config=self.ctx.config)
            await session.commit()

    async def clear_row_errors(self) -> None:
        async with self.ctx.write_session() as session:
            await session.execute(
                ImportRowError.__table__.delete().where(ImportRowError.job_id == self.ctx.job_id)
            )
            await session.commit()


@job_kind(JOB_KIND)
async def import_customers(ctx: JobContext) -> dict[str, Any]:
    options = ImportOptions.from_json(ctx.options)
    run = ImportRun(ctx, options)
    try:
        await run.prepare()
        write = not options.dry_run
        everything = options.error_policy is ErrorPolicy.REJECT_EVERYTHING
        if write and everything:
            report = await run.run_pass(write=False, one_transaction=False)
            if run.counts.failed == 0:
                await run.clear_row_errors()
                await report.close()
                report = await run.run_pass(write=True, one_transaction=True)
            else:
                run.counts.created = run.counts.updated = run.counts.unchanged = 0
                run.counts.skipped = 0
                write = False
        else:
            report = await run.run_pass(write=write, one_transaction=False)
        if write and (run.counts.created or run.counts.updated):
            await run.categorise()
        files = await report.close()
    finally:
        await run.finish()
        await ctx.files.delete(options.file_key)
    return {
        **run.counts.as_dict(),
        **files,
        "dryRun": options.dry_run,
        "written": write,
        "format": FileFormat.XLSX.value if isinstance(run.table, XlsxTable) else "CSV",
        "encoding": run.table.encoding,
        "delimiter": run.table.delimiter,
        "unknownColumns": run.mapping.unknown,
        "mapping": [
            {"column": run.mapping.headers[index], "field": column.value}
            for column, index in sorted(run.mapping.columns.items(), key=lambda item: item[1])
        ],
        "totalRows": run.processed,
    }
