"""Customer exports: ``exportCustomers`` queues the job and waits a few seconds for it, so a
small export's payload already carries its download link; ``exportJob`` follows the rest
(``jobProgress`` streams it live)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

import resolvers.customer_export as export_domain
from resolvers import jobs as job_domain
from resolvers.customer_columns import CustomerColumn
from resolvers.errors import DomainError
from resolvers.roles import Action
from schema.customers import CustomerFilter
from schema.enums import JobStatus
from schema.errors import BadUserInput, UserError
from schema.jobs import download_url
from schema.operations import acting_user, decode_id, read, write
from schema.permissions import SignedIn, allowed

ExportFormat = strawberry.enum(
    export_domain.ExportFormat,
    description="CSV (UTF-8, RFC 4180), XLSX (formatted, with a summary sheet) or JSON.",
)
CustomerExportField = strawberry.enum(
    CustomerColumn,
    name="CustomerExportField",
    description="A column of a customer export; headers are the importer's, so an exported "
    "file re-imports as it is (the importer skips the computed columns).",
)
POLL_SECONDS = 0.5  # re-check even without an event (a missed event only delays)


@strawberry.input(description="How an export is written.")
class CustomerExportOptions:
    neutralise_formulas: bool = strawberry.field(
        default=True,
        description="CSV: prefix text cells a spreadsheet would execute (=, +, -, @) with an "
        "apostrophe (the importer removes it). Turn off for machine consumers.",
    )
    excel_bom: bool = strawberry.field(
        default=False, description="CSV: start with a UTF-8 byte-order mark, for Excel."
    )


@strawberry.type(description="A customer export and, once it has succeeded, its file.")
class ExportJob:
    id: strawberry.ID
    status: JobStatus
    format: ExportFormat = strawberry.field(description="The file's format.")
    fields: list[CustomerExportField] = strawberry.field(description="The columns, in order.")
    progress: float = strawberry.field(description="From 0 to 1.")
    processed_rows: int = strawberry.field(description="Rows written so far.")
    total_rows: int | None = strawberry.field(description="Customers matching the filter.")
    row_count: int | None = strawberry.field(description="Rows written; null until finished.")
    size_bytes: int | None = strawberry.field(description="File size; null until finished.")
    filename: str | None = strawberry.field(description="The download's file name.")
    url: str | None = strawberry.field(description="Signed, expiring link to the file.")
    expires_at: dt.datetime | None = strawberry.field(description="When the file is deleted.")
    error_message: str | None = strawberry.field(description="Why it failed, if it did.")
    created_at: dt.datetime = strawberry.field(description="When it was asked for.")
    started_at: dt.datetime | None = strawberry.field(description="When a worker took it.")
    finished_at: dt.datetime | None = strawberry.field(description="When it ended.")

    @classmethod
    def from_row(cls, info: Info, row: Any) -> ExportJob:
        options, result = row.options or {}, row.result or {}
        return cls(
            id=strawberry.ID(str(row.id)),
            status=row.status,
            format=export_domain.ExportFormat(options["format"]),
            fields=[CustomerColumn(f) for f in options["fields"]],
            progress=row.progress,
            processed_rows=row.processed_rows,
            total_rows=row.total_rows,
            row_count=result.get("rowCount"),
            size_bytes=result.get("sizeBytes"),
            filename=result.get("filename"),
            url=download_url(info, row),
            expires_at=row.expires_at,
            error_message=row.error_message,
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
        )


@strawberry.type(description="The result of exportCustomers.")
class ExportCustomersPayload:
    job: ExportJob | None = strawberry.field(
        description="The export; finished (with its url) when it took less than a few seconds."
    )
    errors: list[UserError]


async def _export_job_row(info: Info, job_id: int) -> Any:
    row = await read(info, job_domain.readable_job, actor=acting_user(info), job_id=job_id)
    return row if row.kind == export_domain.CUSTOMER_EXPORT else None


async def _finished_or_latest(info: Info, job_id: int, seconds: float) -> Any:
    """The job once finished, or as it stands when the wait is over."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    # Subscribed before the first read: an event between the two is never lost.
    with info.context.services.events.subscribe(job_domain.job_topic(job_id)) as queue:
        while True:
            row = await _export_job_row(info, job_id)
            remaining = deadline - loop.time()
            if row.status in job_domain.FINISHED or remaining <= 0:
                return row
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(queue.get(), timeout=min(remaining, POLL_SECONDS))


def _payload_errors(exc: BadUserInput) -> list[UserError]:
    extensions = exc.extensions or {}
    code = extensions.get("reason") or "VALIDATION_ERROR"
    return [UserError(field=extensions.get("field"), message=exc.message, code=code)]


@strawberry.type
class ExportQueries:
    @strawberry.field(
        description="A customer export, for its creator, managers and admins.",
        permission_classes=[SignedIn],
    )
    async def export_job(self, info: Info, id: strawberry.ID) -> ExportJob | None:
        try:
            row = await _export_job_row(info, decode_id(id))
        except (DomainError, BadUserInput):
            return None
        return None if row is None else ExportJob.from_row(info, row)


@strawberry.type
class ExportMutations:
    @strawberry.mutation(
        description="Export the customers matching a filter as a file, in the background. "
        "Waits a few seconds first, so a small export's payload already has its url; "
        "follow a larger one with exportJob or jobProgress.",
        permission_classes=[allowed(Action.IMPORT_EXPORT)],
    )
    async def export_customers(
        self,
        info: Info,
        format: Annotated[ExportFormat, strawberry.argument(description="The file's format.")],
        filter: Annotated[
            CustomerFilter | None,
            strawberry.argument(description="Which customers, as in customers(filter)."),
        ] = None,
        fields: Annotated[
            list[CustomerExportField] | None,
            strawberry.argument(
                description="Columns in order; left out: the importable columns plus credit "
                "outstanding, credit level and segments."
            ),
        ] = None,
        options: Annotated[
            CustomerExportOptions | None,
            strawberry.argument(description="How the file is written (CSV options)."),
        ] = None,
    ) -> ExportCustomersPayload:
        actor = acting_user(info)
        services = info.context.services
        config = info.context.config
        chosen = options or CustomerExportOptions()
        try:
            flt = filter.to_domain(info) if filter else None
        except BadUserInput as exc:
            return ExportCustomersPayload(job=None, errors=_payload_errors(exc))

        async def run(session: Any) -> int:
            job = await export_domain.start_customer_export(
                session,
                actor=actor,
                format=export_domain.ExportFormat(format.value),
                flt=flt,
                fields=None if fields is None else [f.value for f in fields],
                neutralise_formulas=chosen.neutralise_formulas,
                excel_bom=chosen.excel_bom,
                timezone=config.timezone,
                thresholds=config.credit,
                file_ttl=services.link_ttl,
                publisher=services.publisher,
            )
            return job.id

        job_id, errors = await write(info, run)
        if job_id is None:
            return ExportCustomersPayload(job=None, errors=errors)
        row = await _finished_or_latest(info, job_id, services.export_wait_seconds)
        return ExportCustomersPayload(job=ExportJob.from_row(info, row), errors=[])
