"""Users as the API shows them, the ``me`` and ``users`` queries and ``login``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import users as user_domain
from resolvers.roles import Action, is_allowed
from schema.connections import Connection, connection, counted_by, page_size
from schema.enums import Role
from schema.errors import Forbidden, UserError
from schema.operations import read
from schema.permissions import SignedIn, allowed


@strawberry.type(description="A person who signs in.")
class User:
    id: strawberry.ID
    name: str
    email: str
    role: Role
    active: bool

    @classmethod
    def from_row(cls, row: Any) -> User:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            email=row.email,
            role=row.role,
            active=row.active,
        )


async def load_user(info: Info, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    row = await info.context.loaders.user_by_id.load(user_id)
    return User.from_row(row) if row else None


@strawberry.type(description="The result of signing in.")
class LoginPayload:
    token: str | None = strawberry.field(description="Send as `Authorization: Bearer <token>`.")
    expires_at: dt.datetime | None
    user: User | None
    errors: list[UserError]


@strawberry.type
class UserQueries:
    @strawberry.field(description="The signed-in user.", permission_classes=[SignedIn])
    async def me(self, info: Info) -> User | None:
        return await load_user(info, info.context.actor.id)

    @strawberry.field(
        description="Active users by name or email, for owner and assignee pickers.",
        permission_classes=[allowed(Action.READ)],
    )
    async def users(
        self,
        info: Info,
        search: str | None = None,
        first: int | None = None,
        after: str | None = None,
        include_inactive: Annotated[
            bool,
            strawberry.argument(description="Deactivated users too (ADMINs only)."),
        ] = False,
    ) -> Connection[User]:
        if include_inactive and not is_allowed(info.context.actor.role, Action.MANAGE_USERS):
            raise Forbidden("Only admins list deactivated users")
        page = await read(
            info,
            user_domain.list_users,
            search=search,
            first=page_size(info, first),
            after=after,
            include_inactive=include_inactive,
        )
        count = counted_by(
            info.context.db.read_session,
            user_domain.count_users,
            search=search,
            include_inactive=include_inactive,
        )
        return connection(page, User.from_row, count)


@strawberry.type
class AuthMutations:
    @strawberry.mutation(
        description="Exchange an email and password for a bearer token. Repeated failures "
        "for one email are slowed down; the answer never says whether the email exists."
    )
    async def login(self, info: Info, email: str, password: str) -> LoginPayload:
        context = info.context
        async with context.db.read_session() as session:
            user = await user_domain.authenticate(
                session, email=email, password=password, throttle=context.services.login_throttle
            )
        if user is None:
            return LoginPayload(
                token=None,
                expires_at=None,
                user=None,
                errors=[
                    UserError(
                        field=None,
                        message="The email or password is wrong",
                        code="INVALID_CREDENTIALS",
                    )
                ],
            )
        token, expires_at = context.services.issue_token(user.id)
        return LoginPayload(token=token, expires_at=expires_at, user=User.from_row(user), errors=[])
