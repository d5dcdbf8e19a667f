"""API keys for scripts and integrations: ``createApiKey``, ``revokeApiKey``, ``apiKeys``.

A key is sent as ``Authorization: Bearer crm_…`` and acts as the ADMIN who created it,
with the key's role capped at theirs (see ``resolvers.api_keys``). Its secret text is in
``createApiKey``'s payload and nowhere else, ever.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import api_keys as key_domain
from resolvers.roles import Action
from schema.connections import Connection, connection, counted_by, page_size
from schema.enums import Role
from schema.errors import UserError
from schema.operations import acting_user, decode_id, read, write
from schema.permissions import allowed
from schema.users import User, load_user

MANAGE = [allowed(Action.MANAGE_API_KEYS)]


@strawberry.type(description="An API key, without its secret.")
class ApiKey:
    id: strawberry.ID
    name: str
    role: Role = strawberry.field(description="Capped at its creator's role when used.")
    prefix: str = strawberry.field(description="The public start of the key, to recognise it.")
    created_by_id: strawberry.Private[int]
    created_at: dt.datetime
    expires_at: dt.datetime | None = strawberry.field(description="Null: never expires.")
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None = strawberry.field(description="To the minute.")

    @strawberry.field(description="The admin who created it, and as whom it acts.")
    async def created_by(self, info: Info) -> User | None:
        return await load_user(info, self.created_by_id)

    @classmethod
    def from_row(cls, row: Any) -> ApiKey:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            role=row.role,
            prefix=row.prefix,
            created_by_id=row.created_by_id,
            created_at=row.created_at,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
            last_used_at=row.last_used_at,
        )


@strawberry.input(description="A new API key.")
class CreateApiKeyInput:
    name: str = strawberry.field(description="What the key is for, e.g. 'ERP nightly sync'.")
    role: Role = strawberry.field(description="What the key may do; at most your own role.")
    expires_at: dt.datetime | None = strawberry.field(
        default=None, description="When it stops working; null for never."
    )


@strawberry.type(description="The new key. Copy the secret now: it is never shown again.")
class CreateApiKeyPayload:
    api_key: ApiKey | None
    secret: str | None = strawberry.field(
        description="The whole key, sent as `Authorization: Bearer <secret>`. Shown once."
    )
    errors: list[UserError]


@strawberry.type(description="The revoked key, or why not.")
class RevokeApiKeyPayload:
    api_key: ApiKey | None
    errors: list[UserError]


@strawberry.type
class ApiKeyQueries:
    @strawberry.field(description="API keys, newest first.", permission_classes=MANAGE)
    async def api_keys(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        include_revoked: bool = False,
    ) -> Connection[ApiKey]:
        page = await read(
            info,
            key_domain.list_api_keys,
            first=page_size(info, first),
            after=after,
            include_revoked=include_revoked,
        )
        count = counted_by(
            info.context.db.read_session,
            key_domain.count_api_keys,
            include_revoked=include_revoked,
        )
        return connection(page, ApiKey.from_row, count)


@strawberry.type
class ApiKeyMutations:
    @strawberry.mutation(
        description="Create an API key. Its secret is in this payload and nowhere else.",
        permission_classes=MANAGE,
    )
    async def create_api_key(self, info: Info, input: CreateApiKeyInput) -> CreateApiKeyPayload:
        result, errors = await write(
            info,
            key_domain.create_api_key,
            actor=acting_user(info),
            name=input.name,
            role=input.role,
            expires_at=input.expires_at,
        )
        if result is None:
            return CreateApiKeyPayload(api_key=None, secret=None, errors=errors)
        api_key, secret = result
        return CreateApiKeyPayload(api_key=ApiKey.from_row(api_key), secret=secret, errors=[])

    @strawberry.mutation(
        description="Revoke an API key: it stops working at once, live connections close.",
        permission_classes=MANAGE,
    )
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> RevokeApiKeyPayload:
        async def run(session: Any) -> Any:
            return await key_domain.revoke_api_key(
                session,
                actor=acting_user(info),
                api_key_id=decode_id(id),
                publisher=info.context.services.publisher,
            )

        row, errors = await write(info, run)
        return RevokeApiKeyPayload(api_key=ApiKey.from_row(row) if row else None, errors=errors)
