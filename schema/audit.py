"""The audit log as ADMINs read it: ``auditLog(first, after, filter)``, newest first.

The API offers no way to change or remove an entry; entries are written only by
``schema.audit_hook``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from models.audit import AuditOutcome as _AuditOutcome
from resolvers import audit as audit_domain
from resolvers.errors import DomainError
from resolvers.roles import Action
from schema.connections import Connection, connection, counted_by, page_size
from schema.errors import BadUserInput
from schema.operations import decode_id, read
from schema.permissions import allowed
from schema.users import User, load_user

AuditOutcome = strawberry.enum(
    _AuditOutcome,
    description="SUCCEEDED; REFUSED (not signed in or not allowed); FAILED (the payload "
    "carried errors, or the arguments were bad); ERROR (unexpected, see the server log).",
)


@strawberry.type(description="One call of a mutation, whatever its outcome.")
class AuditLogEntry:
    id: strawberry.ID
    occurred_at: dt.datetime
    actor_id: strawberry.Private[int | None]
    api_key_id: strawberry.ID | None = strawberry.field(
        description="The API key the call was made with, if any (the actor is its creator)."
    )
    mutation: str = strawberry.field(description="The mutation field called, e.g. createCustomer.")
    operation_name: str | None = strawberry.field(
        description="The name the client gave its GraphQL operation, if any."
    )
    target_ids: list[str] = strawberry.field(
        description="Ids the call named in its input and ids of the objects it returned."
    )
    outcome: AuditOutcome
    error_codes: list[str] = strawberry.field(description="Codes of the errors it ended with.")
    client_address: str | None
    request_id: str | None = strawberry.field(description="The X-Request-ID of the request.")

    @strawberry.field(description="Who called it; null for an anonymous call (login).")
    async def actor(self, info: Info) -> User | None:
        return await load_user(info, self.actor_id)

    @classmethod
    def from_row(cls, row: Any) -> AuditLogEntry:
        return cls(
            id=strawberry.ID(str(row.id)),
            occurred_at=row.occurred_at,
            actor_id=row.actor_id,
            api_key_id=None if row.api_key_id is None else strawberry.ID(str(row.api_key_id)),
            mutation=row.mutation,
            operation_name=row.operation_name,
            target_ids=list(row.target_ids or []),
            outcome=row.outcome,
            error_codes=list(row.error_codes or []),
            client_address=row.client_address,
            request_id=row.request_id,
        )


@strawberry.input(description="Which audit entries to list; all conditions given must hold.")
class AuditLogFilter:
    actor_id: strawberry.ID | None = strawberry.field(default=None, description="Who called.")
    operation: str | None = strawberry.field(
        default=None, description="The mutation field called, e.g. updateCreditLimit."
    )
    outcome: AuditOutcome | None = None
    from_: dt.datetime | None = strawberry.field(
        default=None, name="from", description="At or after this moment."
    )
    to: dt.datetime | None = strawberry.field(default=None, description="Before this moment.")
    target_id: strawberry.ID | None = strawberry.field(
        default=None, description="Entries whose targets include this id."
    )

    def to_domain(self) -> audit_domain.AuditFilter:
        try:
            actor_id = None if self.actor_id is None else decode_id(self.actor_id, field="actorId")
        except DomainError as exc:
            raise BadUserInput(exc) from exc
        return audit_domain.AuditFilter(
            actor_id=actor_id,
            mutation=self.operation,
            outcome=self.outcome,
            occurred_from=self.from_,
            occurred_to=self.to,
            target_id=None if self.target_id is None else str(self.target_id),
        )


@strawberry.type
class AuditLogQueries:
    @strawberry.field(
        description="The audit log, newest first: every mutation call, successful or not.",
        permission_classes=[allowed(Action.READ_AUDIT_LOG)],
    )
    async def audit_log(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: AuditLogFilter | None = None,
    ) -> Connection[AuditLogEntry]:
        where = (filter or AuditLogFilter()).to_domain()
        page = await read(
            info, audit_domain.list_entries, where=where, first=page_size(info, first), after=after
        )
        count = counted_by(info.context.db.read_session, audit_domain.count_entries, where=where)
        return connection(page, AuditLogEntry.from_row, count)
