"""Administering users: ``createUser`` and ``updateUser``, for ADMINs only."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import user_admin
from resolvers.roles import Action
from schema.enums import Role
from schema.errors import UserError
from schema.operations import decode_id, write
from schema.permissions import allowed
from schema.users import User

MANAGE = [allowed(Action.MANAGE_USERS)]


@strawberry.input(description="A new user, who can sign in at once.")
class CreateUserInput:
    email: str = strawberry.field(description="Unique, case-insensitively.")
    name: str
    role: Role
    password: str = strawberry.field(
        description="At least 10 characters; stored as an Argon2 hash."
    )


@strawberry.input(description="Changes to a user: only the fields given are changed.")
class UpdateUserInput:
    id: strawberry.ID
    name: str | None = None
    role: Role | None = strawberry.field(
        default=None, description="Takes effect at the user's next request; live connections close."
    )
    active: bool | None = strawberry.field(
        default=None,
        description="false signs the user out everywhere at once: tokens and API keys stop "
        "working and open subscriptions close. The last active ADMIN cannot be deactivated.",
    )


@strawberry.type(description="The user created or changed, or why not.")
class UserPayload:
    user: User | None
    errors: list[UserError]


@strawberry.type
class UserAdminMutations:
    @strawberry.mutation(description="Create a user.", permission_classes=MANAGE)
    async def create_user(self, info: Info, input: CreateUserInput) -> UserPayload:
        row, errors = await write(
            info,
            user_admin.create_user,
            email=input.email,
            name=input.name,
            role=input.role,
            password=input.password,
        )
        return UserPayload(user=User.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(
        description="Change a user's name, role or whether they are active.",
        permission_classes=MANAGE,
    )
    async def update_user(self, info: Info, input: UpdateUserInput) -> UserPayload:
        async def run(session: Any) -> Any:
            return await user_admin.update_user(
                session,
                user_id=decode_id(input.id),
                publisher=info.context.services.publisher,
                name=input.name,
                role=input.role,
                active=input.active,
            )

        row, errors = await write(info, run)
        return UserPayload(user=User.from_row(row) if row else None, errors=errors)
