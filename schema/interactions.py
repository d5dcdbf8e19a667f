"""Interactions: log and change them, with attachments uploaded through the GraphQL
multipart request spec (``Upload``).

Files are streamed into the file store before the unit of work opens; if anything then
fails, the stored files are deleted again, so a refused request leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from starlette.datastructures import UploadFile
from strawberry.file_uploads import Upload
from strawberry.types import Info

from models.base import utcnow
from models.enums import InteractionStatus as DomainInteractionStatus
from models.enums import Priority as DomainPriority
from resolvers import interaction_queries as queries
from resolvers import interactions as domain
from resolvers.attachments import StoredAttachment, store_attachment
from resolvers.contact_validation import normalise_tag
from resolvers.errors import DomainError, ValidationFailed
from resolvers.roles import Action
from schema.connections import Connection, connection, counted_by, page_size
from schema.enums import InteractionKind, InteractionStatus, Priority
from schema.errors import BadUserInput, UserError, user_errors
from schema.operations import acting_user, decode_id, write
from schema.permissions import allowed
from schema.tasks import FollowUpTask
from schema.users import User, load_user

MAX_ATTACHMENTS = 10


@strawberry.type(description="A file attached to an interaction.")
class Attachment:
    id: strawberry.ID
    name: str
    content_type: str = strawberry.field(
        description="What the bytes are (sniffed on upload; the client's claim is not trusted)."
    )
    size: int = strawberry.field(description="In bytes.")
    sha256: str = strawberry.field(description="Hex SHA-256 of the content.")
    created_at: dt.datetime
    storage_key: strawberry.Private[str]

    @strawberry.field(description="A signed download link that expires.")
    def url(self, info: Info) -> str:
        services = info.context.services
        return services.links.url(
            self.storage_key, filename=self.name, expires_at=utcnow() + services.link_ttl
        )

    @classmethod
    def from_row(cls, row: Any) -> Attachment:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            content_type=row.content_type,
            size=row.size,
            sha256=row.sha256,
            created_at=row.created_at,
            storage_key=row.storage_key,
        )


@strawberry.type(description="A call, meeting, email, note or follow-up logged for a customer.")
class Interaction:
    id: strawberry.ID
    kind: InteractionKind
    subject: str
    notes: str | None
    priority: Priority
    status: InteractionStatus
    outcome: str | None
    occurred_at: dt.datetime
    duration_minutes: int | None
    tags: list[str]
    follow_up_required: bool
    follow_up_date: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime
    customer_id: strawberry.Private[int]
    created_by_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Any) -> Interaction:
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=row.kind,
            subject=row.subject,
            notes=row.notes,
            priority=row.priority,
            status=row.status,
            outcome=row.outcome,
            occurred_at=row.occurred_at,
            duration_minutes=row.duration_minutes,
            tags=list(row.tags or []),
            follow_up_required=row.follow_up_required,
            follow_up_date=row.follow_up_date,
            created_at=row.created_at,
            updated_at=row.updated_at,
            customer_id=row.customer_id,
            created_by_id=row.created_by_id,
        )

    @strawberry.field
    async def attachments(self, info: Info) -> list[Attachment]:
        rows = await info.context.loaders.attachments_by_interaction_id.load(int(self.id))
        return [Attachment.from_row(r) for r in rows]

    @strawberry.field(description="Who logged it.")
    async def created_by(self, info: Info) -> User | None:
        return await load_user(info, self.created_by_id)


@strawberry.input(description="Which interactions to list; all conditions must hold.")
class InteractionFilter:
    kinds: list[InteractionKind] | None = None
    statuses: list[InteractionStatus] | None = None
    priorities: list[Priority] | None = None
    tags: list[str] | None = strawberry.field(default=None, description="Any of these tags.")
    occurred_from: dt.datetime | None = strawberry.field(default=None, description="At or after.")
    occurred_before: dt.datetime | None = strawberry.field(default=None, description="Before.")

    def to_domain(self) -> queries.InteractionFilter:
        return queries.InteractionFilter(
            kinds=tuple(self.kinds or ()),
            statuses=tuple(self.statuses or ()),
            priorities=tuple(self.priorities or ()),
            tags=tuple(t for t in (normalise_tag(t) for t in self.tags or ()) if t),
            occurred_from=self.occurred_from,
            occurred_before=self.occurred_before,
        )


async def customer_interactions(
    info: Info,
    customer_id: int,
    flt: InteractionFilter | None,
    first: int | None,
    after: str | None,
) -> Connection[Interaction]:
    domain_filter = flt.to_domain() if flt else queries.InteractionFilter()
    async with info.context.db.read_session() as session:
        try:
            page = await queries.customer_interactions(
                session,
                customer_id=customer_id,
                flt=domain_filter,
                first=page_size(info, first),
                after=after,
            )
        except DomainError as exc:
            raise BadUserInput(exc) from exc
    count = counted_by(
        info.context.db.read_session,
        queries.count_customer_interactions,
        customer_id=customer_id,
        flt=domain_filter,
    )
    return connection(page, Interaction.from_row, count)


@strawberry.input(description="An interaction to log.")
class CreateInteractionInput:
    customer_id: strawberry.ID
    kind: InteractionKind
    subject: str
    notes: str | None = None
    priority: Priority = DomainPriority.MEDIUM
    status: InteractionStatus = strawberry.field(
        default=DomainInteractionStatus.COMPLETED,
        description="COMPLETED (it happened) or PENDING (planned).",
    )
    outcome: str | None = None
    occurred_at: dt.datetime | None = strawberry.field(
        default=None, description="Defaults to now; never in the future (5 minutes' leeway)."
    )
    duration_minutes: int | None = None
    tags: list[str] | None = None
    follow_up_required: bool = strawberry.field(
        default=False, description="Opens a follow-up task in the same transaction."
    )
    follow_up_date: dt.date | None = strawberry.field(
        default=None,
        description="When the follow-up is due (09:00 business time); default: after the "
        "configured delay.",
    )
    attachments: list[Upload] | None = strawberry.field(
        default=None, description="Files, sent as multipart parts (GraphQL multipart spec)."
    )


@strawberry.input(description="Changes to an interaction: only the fields given change.")
class UpdateInteractionInput:
    id: strawberry.ID
    status: InteractionStatus | None = strawberry.field(
        default=strawberry.UNSET, description="PENDING → COMPLETED or CANCELLED only."
    )
    outcome: str | None = strawberry.UNSET
    priority: Priority | None = strawberry.UNSET
    tags: list[str] | None = strawberry.UNSET
    subject: str | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET
    duration_minutes: int | None = strawberry.UNSET


@strawberry.type
class CreateInteractionPayload:
    interaction: Interaction | None
    follow_up_task: FollowUpTask | None = strawberry.field(
        description="The task opened because a follow-up was required."
    )
    errors: list[UserError]


@strawberry.type
class UpdateInteractionPayload:
    interaction: Interaction | None
    errors: list[UserError]


async def _store_uploads(info: Info, uploads: list[Any]) -> list[StoredAttachment]:
    """Stream every upload into the file store; a non-file value or an oversized file is
    a payload error (and whatever was already stored is deleted)."""
    files = info.context.services.files
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationFailed(f"At most {MAX_ATTACHMENTS} attachments", field="attachments")
    stored: list[StoredAttachment] = []
    try:
        for position, upload in enumerate(uploads):
            field = f"attachments.{position}"
            if not isinstance(upload, UploadFile):
                raise ValidationFailed("This is not a file upload", field=field)
            stored.append(
                await store_attachment(
                    files,
                    name=upload.filename,
                    read=upload.read,
                    max_bytes=info.context.config.max_upload_bytes,
                    field=field,
                )
            )
    except BaseException:
        await _delete(info, stored)
        raise
    return stored


async def _delete(info: Info, stored: list[StoredAttachment]) -> None:
    for attachment in stored:
        await info.context.services.files.delete(attachment.storage_key)


_UPDATABLE = ("status", "outcome", "priority", "tags", "subject", "notes", "duration_minutes")
WRITE = [allowed(Action.WRITE_SALES)]


@strawberry.type
class InteractionMutations:
    @strawberry.mutation(
        description="Log an interaction; with followUpRequired, a follow-up task is opened too.",
        permission_classes=WRITE,
    )
    async def create_interaction(
        self, info: Info, input: CreateInteractionInput
    ) -> CreateInteractionPayload:
        actor = acting_user(info)
        try:
            stored = await _store_uploads(info, list(input.attachments or []))
        except DomainError as exc:
            return CreateInteractionPayload(
                interaction=None, follow_up_task=None, errors=user_errors(exc)
            )

        async def run(session: Any) -> Any:
            details = domain.InteractionDetails(
                customer_id=decode_id(input.customer_id, field="customerId"),
                kind=input.kind,
                subject=input.subject,
                notes=input.notes,
                priority=input.priority,
                status=input.status,
                outcome=input.outcome,
                occurred_at=input.occurred_at,
                duration_minutes=input.duration_minutes,
                tags=tuple(input.tags or ()),
                follow_up_required=input.follow_up_required,
                follow_up_date=input.follow_up_date,
            )
            return await domain.create_interaction(
                session,
                actor=actor,
                details=details,
                attachments=stored,
                config=info.context.config,
                publisher=info.context.services.publisher,
            )

        try:
            result, errors = await write(info, run)
        except BaseException:
            await _delete(info, stored)
            raise
        if result is None:
            await _delete(info, stored)
            return CreateInteractionPayload(interaction=None, follow_up_task=None, errors=errors)
        interaction, task = result
        return CreateInteractionPayload(
            interaction=Interaction.from_row(interaction),
            follow_up_task=FollowUpTask.from_row(task) if task else None,
            errors=[],
        )

    @strawberry.mutation(description="Change an interaction.", permission_classes=WRITE)
    async def update_interaction(
        self, info: Info, input: UpdateInteractionInput
    ) -> UpdateInteractionPayload:
        actor = acting_user(info)
        changes = {
            name: getattr(input, name)
            for name in _UPDATABLE
            if getattr(input, name) is not strawberry.UNSET
        }

        async def run(session: Any) -> Any:
            return await domain.update_interaction(
                session,
                actor=actor,
                interaction_id=decode_id(input.id),
                changes=changes,
                config=info.context.config,
            )

        interaction, errors = await write(info, run)
        return UpdateInteractionPayload(
            interaction=Interaction.from_row(interaction) if interaction else None,
            errors=errors,
        )
