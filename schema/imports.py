"""Customer imports: a spreadsheet in through the GraphQL multipart request spec, a job
out; ``importJob`` follows it, ``undoImport`` takes it back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from starlette.datastructures import UploadFile
from strawberry.file_uploads import Upload
from strawberry.types import Info

import resolvers.customer_import  # noqa: F401 - registers the customer-import job kind
from resolvers import import_jobs
from resolvers.attachments import store_attachment
from resolvers.customer_columns import CustomerColumn
from resolvers.customer_columns import ImportField as _ImportField
from resolvers.errors import DomainError, ValidationFailed
from resolvers.import_files import FileFormat as _FileFormat
from resolvers.import_options import DuplicatePolicy as _DuplicatePolicy
from resolvers.import_options import ErrorPolicy as _ErrorPolicy
from resolvers.import_options import ImportOptions
from resolvers.import_options import MatchKey as _MatchKey
from resolvers.import_undo import undo_import
from resolvers.import_values import DEFAULT_DATE_FORMATS
from resolvers.roles import Action
from schema.connections import Connection, connection, counted_by, page_size
from schema.customers import Customer, load_customer
from schema.enums import BusinessType, JobStatus
from schema.errors import BadUserInput, UserError, user_errors
from schema.jobs import download_url
from schema.operations import acting_user, decode_id, read, write
from schema.permissions import SignedIn, allowed

CustomerImportField = strawberry.enum(_ImportField, name="CustomerImportField")
ImportFileFormat = strawberry.enum(_FileFormat, name="ImportFileFormat")
CustomerMatchKey = strawberry.enum(
    _MatchKey, name="CustomerMatchKey", description="A value that identifies a customer."
)
DuplicatePolicy = strawberry.enum(
    _DuplicatePolicy,
    name="DuplicatePolicy",
    description="What a row that matches an existing customer does: SKIP it, UPDATE the "
    "customer, or FAIL as a row error.",
)
ImportErrorPolicy = strawberry.enum(
    _ErrorPolicy,
    name="ImportErrorPolicy",
    description="REJECT_FAILED_ROWS imports the good rows; REJECT_EVERYTHING imports nothing "
    "unless every row is good.",
)


@strawberry.input(description="Which file column holds which customer field.")
class ColumnMappingInput:
    column: str = strawberry.field(description="The header, as in the file (case-insensitive).")
    field: CustomerImportField


@strawberry.input(description="How to read and apply an import; everything has a default.")
class CustomerImportOptions:
    format: ImportFileFormat | None = strawberry.field(
        default=None, description="Detected from the file's bytes when absent."
    )
    encoding: str | None = strawberry.field(
        default=None, description="A CSV's text encoding; detected when absent."
    )
    delimiter: str | None = strawberry.field(
        default=None, description="A CSV's delimiter; sniffed (, ; tab |) when absent."
    )
    quote_char: str = '"'
    sheet: str | None = strawberry.field(
        default=None, description="An XLSX sheet's name; the first sheet when absent."
    )
    mapping: list[ColumnMappingInput] | None = strawberry.field(
        default=None,
        description="Explicit columns; when absent, headers are recognised by name and synonyms.",
    )
    match_on: list[CustomerMatchKey] = strawberry.field(
        default_factory=lambda: list(_MatchKey),
        description="Keys that find an existing customer, in order.",
    )
    on_duplicate: DuplicatePolicy = _DuplicatePolicy.SKIP
    error_policy: ImportErrorPolicy = _ErrorPolicy.REJECT_FAILED_ROWS
    dry_run: bool = strawberry.field(
        default=False, description="Report what would happen; write no customer."
    )
    date_formats: list[str] = strawberry.field(
        default_factory=lambda: list(DEFAULT_DATE_FORMATS),
        description="Accepted date formats (YYYY, MM/M, MMM, DD/D); ISO dates always are. A "
        "date two formats read differently is an error, never a guess.",
    )
    default_business_type: BusinessType | None = strawberry.field(
        default=None, description="For new customers whose business type is blank or absent."
    )
    reverse_formula_neutralisation: bool = strawberry.field(
        default=True,
        description="Undo the apostrophe our CSV exports put before =, +, -, @ (CSV only).",
    )


@strawberry.type(description="One problem with one row of an imported file.")
class ImportRowError:
    row: int = strawberry.field(description="As the spreadsheet numbers it: the header is 1.")
    column: str | None = strawberry.field(description="The file's header of the cell at fault.")
    field: str | None = strawberry.field(description="The customer field at fault.")
    message: str
    code: str


@strawberry.type(description="A column of the file and the field it was read as.")
class ImportColumn:
    column: str
    field: CustomerImportField


@strawberry.type(description="A customer undoImport did not touch, and why.")
class LeftAloneCustomer:
    customer_id: strawberry.ID
    code: str
    reason: str

    @strawberry.field
    async def customer(self, info: Info) -> Customer | None:
        return await load_customer(info, int(self.customer_id))


def _result(row: Any) -> dict[str, Any]:
    return dict(row.result or {})


@strawberry.type(description="A customer import: its progress, counts and row errors.")
class ImportJob:
    row: strawberry.Private[Any]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field
    def status(self) -> JobStatus:
        return self.row.status

    @strawberry.field(description="Whether this import only reports, writing nothing.")
    def dry_run(self) -> bool:
        return bool((self.row.options or {}).get("dryRun"))

    @strawberry.field(description="From 0 to 1.")
    def progress(self) -> float:
        return self.row.progress

    @strawberry.field(description="Data rows in the file (known once the file is scanned).")
    def total_rows(self) -> int | None:
        return self.row.total_rows

    @strawberry.field
    def processed_rows(self) -> int:
        return self.row.processed_rows

    @strawberry.field(description="Customers created (would be, in a dry run).")
    def created_count(self) -> int:
        return _result(self.row).get("createdCount", 0)

    @strawberry.field(description="Customers changed (would be, in a dry run).")
    def updated_count(self) -> int:
        return _result(self.row).get("updatedCount", 0)

    @strawberry.field(description="Rows that matched a customer already holding their values.")
    def unchanged_count(self) -> int:
        return _result(self.row).get("unchangedCount", 0)

    @strawberry.field(description="Rows that matched a customer and were skipped.")
    def skipped_count(self) -> int:
        return _result(self.row).get("skippedCount", 0)

    @strawberry.field(description="Rows with at least one error; none of them was written.")
    def failed_count(self) -> int:
        return _result(self.row).get("failedCount", 0)

    @strawberry.field(
        description="Whether customers were written (false for dry runs and "
        "for REJECT_EVERYTHING imports with failed rows)."
    )
    def written(self) -> bool:
        return bool(_result(self.row).get("written"))

    @strawberry.field(description="Why the whole import failed (unreadable file, missing column).")
    def error_message(self) -> str | None:
        return self.row.error_message

    @strawberry.field(description="Columns no field was read from.")
    def unknown_columns(self) -> list[str]:
        return list(_result(self.row).get("unknownColumns", []))

    @strawberry.field(description="The columns read and the field each became.")
    def mapping(self) -> list[ImportColumn]:
        return [
            ImportColumn(column=m["column"], field=_ImportField(m["field"]))
            for m in _result(self.row).get("mapping", [])
        ]

    @strawberry.field(description="The file's format, encoding and delimiter as read.")
    def format(self) -> ImportFileFormat | None:
        value = _result(self.row).get("format")
        return _FileFormat(value) if value else None

    @strawberry.field
    def encoding(self) -> str | None:
        return _result(self.row).get("encoding")

    @strawberry.field
    def delimiter(self) -> str | None:
        return _result(self.row).get("delimiter")

    @strawberry.field(
        description="Signed, expiring link to the failed rows in their original columns "
        "plus an error column, in the file's format: fix and re-import as is."
    )
    def error_report_url(self, info: Info) -> str | None:
        return download_url(info, self.row)

    @strawberry.field
    def created_at(self) -> dt.datetime:
        return self.row.created_at

    @strawberry.field
    def started_at(self) -> dt.datetime | None:
        return self.row.started_at

    @strawberry.field
    def finished_at(self) -> dt.datetime | None:
        return self.row.finished_at

    @strawberry.field(description="When undoImport took this import back.")
    def undone_at(self) -> dt.datetime | None:
        value = _result(self.row).get("undoneAt")
        return dt.datetime.fromisoformat(value) if value else None

    @strawberry.field(description="The rows that failed, in file order.")
    async def row_errors(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ImportRowError]:
        size = page_size(info, first)
        page = await read(
            info, import_jobs.row_errors_page, job_id=self.row.id, first=size, after=after
        )
        return connection(
            page,
            lambda r: ImportRowError(
                row=r.row, column=r.column, field=r.field, message=r.message, code=r.code
            ),
            counted_by(
                info.context.db.read_session, import_jobs.count_row_errors, job_id=self.row.id
            ),
        )


@strawberry.type
class ImportCustomersPayload:
    job: ImportJob | None = strawberry.field(description="Follow it with importJob/jobProgress.")
    errors: list[UserError]


@strawberry.type
class UndoImportPayload:
    job: ImportJob | None
    removed_count: int = strawberry.field(description="Created customers removed.")
    restored_count: int = strawberry.field(description="Updated customers restored.")
    left_alone: list[LeftAloneCustomer] = strawberry.field(
        description="Customers changed or referenced since the import, untouched."
    )
    errors: list[UserError]


def _options(
    file_key: str,
    filename: str,
    given: CustomerImportOptions | None,
    *,
    batch_rows: int,
    file_ttl: dt.timedelta,
) -> ImportOptions:
    given = given or CustomerImportOptions()
    return ImportOptions(
        file_key=file_key,
        filename=filename,
        format=given.format,
        encoding=given.encoding,
        delimiter=given.delimiter,
        quote_char=given.quote_char,
        sheet=given.sheet,
        mapping=[(m.column, CustomerColumn(m.field.value)) for m in given.mapping or []],
        match_on=list(given.match_on),
        on_duplicate=given.on_duplicate,
        error_policy=given.error_policy,
        dry_run=given.dry_run,
        date_formats=list(given.date_formats),
        default_business_type=given.default_business_type,
        reverse_neutralisation=given.reverse_formula_neutralisation,
        extra={"batchRows": batch_rows, "fileTtlSeconds": file_ttl.total_seconds()},
    )


async def _import_job(info: Info, job_id: int) -> ImportJob:
    row = await read(info, import_jobs.readable_import_job, actor=acting_user(info), job_id=job_id)
    return ImportJob(row=row)


@strawberry.type
class ImportQueries:
    @strawberry.field(
        description="A customer import, for its creator, managers and admins.",
        permission_classes=[SignedIn],
    )
    async def import_job(self, info: Info, id: strawberry.ID) -> ImportJob | None:
        try:
            return await _import_job(info, decode_id(id))
        except (BadUserInput, DomainError):
            return None


@strawberry.type
class ImportMutations:
    @strawberry.mutation(
        description="Import customers from a CSV or XLSX file (multipart request); the "
        "import runs as a job.",
        permission_classes=[allowed(Action.IMPORT_EXPORT)],
    )
    async def import_customers(
        self, info: Info, file: Upload, options: CustomerImportOptions | None = None
    ) -> ImportCustomersPayload:
        actor = acting_user(info)
        files = info.context.services.files
        try:
            if not isinstance(file, UploadFile):
                raise ValidationFailed("This is not a file upload", field="file")
            stored = await store_attachment(
                files,
                name=file.filename,
                read=file.read,
                max_bytes=info.context.config.max_upload_bytes,
                field="file",
            )
        except DomainError as exc:
            return ImportCustomersPayload(job=None, errors=user_errors(exc))
        if stored.size == 0:
            await files.delete(stored.storage_key)
            return ImportCustomersPayload(
                job=None,
                errors=[UserError(field="file", message="The file is empty", code="EMPTY_FILE")],
            )
        try:
            import_options = _options(
                stored.storage_key,
                stored.name,
                options,
                batch_rows=info.context.config.import_batch_rows,
                file_ttl=info.context.services.link_ttl,
            )
        except DomainError as exc:
            await files.delete(stored.storage_key)
            return ImportCustomersPayload(job=None, errors=user_errors(exc))

        async def run(session: Any) -> int:
            job = await import_jobs.request_import(
                session,
                actor=actor,
                options=import_options,
                publisher=info.context.services.publisher,
            )
            return job.id

        job_id, errors = await write(info, run)
        if job_id is None:
            await files.delete(stored.storage_key)
            return ImportCustomersPayload(job=None, errors=errors)
        return ImportCustomersPayload(job=await _import_job(info, job_id), errors=[])

    @strawberry.mutation(
        description="Take back a finished import: created customers are removed, updated "
        "ones restored, except customers changed or referenced since (listed).",
        permission_classes=[allowed(Action.REFIT_ALL)],
    )
    async def undo_import(self, info: Info, job_id: strawberry.ID) -> UndoImportPayload:
        actor = acting_user(info)
        config = info.context.config

        async def run(session: Any) -> Any:
            return await undo_import(
                session, actor=actor, job_id=decode_id(job_id, field="jobId"), config=config
            )

        outcome, errors = await write(info, run)
        if outcome is None:
            return UndoImportPayload(
                job=None, removed_count=0, restored_count=0, left_alone=[], errors=errors
            )
        return UndoImportPayload(
            job=await _import_job(info, outcome.job_id),
            removed_count=outcome.removed,
            restored_count=outcome.restored,
            left_alone=[
                LeftAloneCustomer(
                    customer_id=strawberry.ID(str(item.customer_id)),
                    code=item.code,
                    reason=item.reason,
                )
                for item in outcome.left_alone
            ],
            errors=[],
        )
