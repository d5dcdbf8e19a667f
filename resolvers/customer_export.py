"""The ``customer-export`` job: a filtered customer list as a CSV, XLSX or JSON file.

``start_customer_export`` queues the job with everything it needs as JSON options (the
filter, the columns, the format options, the settings in force); the handler streams the
customers in keyset batches (``export_rows``) into a file writer running in a worker
thread, one batch being written while the next is read, and returns the stored file's
key, its expiry and a file name; the platform signs the download link from those.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from models import Job
from models.base import utcnow
from resolvers.actor import Actor
from resolvers.config import CreditThresholds
from resolvers.customer_columns import CustomerColumn
from resolvers.customer_queries import CustomerFilter, count_customers
from resolvers.export_columns import chosen_columns
from resolvers.export_csv import CsvExport
from resolvers.export_filter import filter_from_json, filter_to_json
from resolvers.export_json import JsonExport
from resolvers.export_rows import BATCH_SIZE, ExportBatch, ExportScope, export_batches
from resolvers.export_xlsx import XlsxExport
from resolvers.jobs import enqueue_job, job_kind
from resolvers.ports import EventPublisher, JobContext

CUSTOMER_EXPORT = "customer-export"


class ExportFormat(enum.StrEnum):
    CSV = "CSV"
    XLSX = "XLSX"
    JSON = "JSON"

    @property
    def suffix(self) -> str:
        return "." + self.value.lower()


@dataclass(frozen=True)
class ExportRequest:
    """An export as asked for, and as stored in the job's options."""

    format: ExportFormat
    columns: tuple[CustomerColumn, ...]
    flt: CustomerFilter | None
    neutralise_formulas: bool
    excel_bom: bool
    timezone: ZoneInfo
    thresholds: CreditThresholds
    file_ttl: dt.timedelta
    requested_at: dt.datetime

    def to_options(self) -> dict[str, Any]:
        return {
            "format": self.format.value,
            "fields": [c.value for c in self.columns],
            "filter": filter_to_json(self.flt),
            "neutraliseFormulas": self.neutralise_formulas,
            "excelBom": self.excel_bom,
            "timezone": self.timezone.key,
            "creditThresholds": {
                "warning": str(self.thresholds.warning_percent),
                "critical": str(self.thresholds.critical_percent),
            },
            "fileTtlSeconds": self.file_ttl.total_seconds(),
            "requestedAt": self.requested_at.isoformat(),
        }

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> ExportRequest:
        thresholds = options["creditThresholds"]
        return cls(
            format=ExportFormat(options["format"]),
            columns=chosen_columns(options["fields"]),
            flt=filter_from_json(options["filter"]),
            neutralise_formulas=options["neutraliseFormulas"],
            excel_bom=options["excelBom"],
            timezone=ZoneInfo(options["timezone"]),
            thresholds=CreditThresholds(
                warning_percent=Decimal(thresholds["warning"]),
                critical_percent=Decimal(thresholds["critical"]),
            ),
            file_ttl=dt.timedelta(seconds=options["fileTtlSeconds"]),
            requested_at=dt.datetime.fromisoformat(options["requestedAt"]),
        )

    @property
    def filename(self) -> str:
        """``customers-2026-11-24-1530.xlsx``: when it was asked for, in business time."""
        local = self.requested_at.astimezone(self.timezone)
        return f"customers-{local:%Y-%m-%d-%H%M}{self.format.suffix}"


async def start_customer_export(
    session: AsyncSession,
    *,
    actor: Actor,
    format: ExportFormat,
    flt: CustomerFilter | None,
    fields: Sequence[str] | None,
    neutralise_formulas: bool = True,
    excel_bom: bool = False,
    timezone: ZoneInfo,
    thresholds: CreditThresholds,
    file_ttl: dt.timedelta,
    publisher: EventPublisher | None = None,
) -> Job:
    """Queue an export; it runs on whichever server process's worker claims it first."""
    request = ExportRequest(
        format=format,
        columns=chosen_columns(fields),
        flt=flt,
        neutralise_formulas=neutralise_formulas,
        excel_bom=excel_bom,
        timezone=timezone,
        thresholds=thresholds,
        file_ttl=file_ttl,
        requested_at=utcnow(),
    )
    return await enqueue_job(
        session,
        kind=CUSTOMER_EXPORT,
        actor=actor,
        options=request.to_options(),
        publisher=publisher,
    )


def _file_writer(request: ExportRequest, out: BinaryIO) -> Any:
    if request.format is ExportFormat.CSV:
        return CsvExport(
            out,
            request.columns,
            neutralise_formulas=request.neutralise_formulas,
            excel_bom=request.excel_bom,
        )
    if request.format is ExportFormat.JSON:
        return JsonExport(out, request.columns)
    local = request.requested_at.astimezone(request.timezone)
    return XlsxExport(out, request.columns, generated_at=local)


async def _write_all(ctx: JobContext, writer: Any, scope: ExportScope, total: int) -> int:
    """Stream every batch into the writer; returns the rows written."""
    written = 0
    pending: asyncio.Task[None] | None = None

    async def write(batch: ExportBatch) -> None:
        await ctx.in_thread(writer.write, batch)

    try:
        async for batch in export_batches(ctx.read_session, scope):
            if pending is not None:
                await pending
                await ctx.report(processed=written, total=total)
            pending = asyncio.ensure_future(write(batch))
            written += batch.size
        if pending is not None:
            await pending
    finally:
        if pending is not None and not pending.done():
            # A thread cannot be stopped: the batch in hand is finished before the caller
            # discards the file under it.
            with contextlib.suppress(BaseException):
                await asyncio.shield(pending)
    return written


@job_kind(CUSTOMER_EXPORT)
async def export_customers(ctx: JobContext) -> dict[str, Any]:
    request = ExportRequest.from_options(ctx.options)
    scope = ExportScope(
        columns=request.columns,
        flt=request.flt,
        timezone=request.timezone,
        thresholds=request.thresholds,
        with_summary=request.format is ExportFormat.XLSX,
        batch_size=int(ctx.options.get("batchSize", BATCH_SIZE)),  # tests use small ones
    )
    async with ctx.read_session() as session:
        total = await count_customers(session, flt=request.flt)
    await ctx.report(processed=0, total=total)
    with ctx.files.writer(suffix=request.format.suffix) as (out, stored):
        writer = await ctx.in_thread(_file_writer, request, out)
        try:
            rows = await _write_all(ctx, writer, scope, total)
            await ctx.in_thread(writer.close)
        except BaseException:
            await asyncio.shield(ctx.in_thread(writer.discard))
            raise
    await ctx.report(processed=rows, total=max(total, rows))
    return {
        "output_file_key": stored[0].key,
        "expires_at": (utcnow() + request.file_ttl).isoformat(),
        "filename": request.filename,
        "format": request.format.value,
        "fields": [c.value for c in request.columns],
        "rowCount": rows,
        "sizeBytes": stored[0].size,
    }
