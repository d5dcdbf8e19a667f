"""Administering users: accounts created and changed by an ADMIN through the API.

A change of role or a deactivation is announced (``resolvers.access_events``) so the
user's open subscriptions close at once; their tokens stop at the next request anyway,
because every request loads the user again. The last active ADMIN cannot be demoted or
deactivated: someone must always be able to administer the service.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import User
from models.enums import Role
from resolvers.access_events import announce_user_access_changed
from resolvers.contact_validation import normalise_name
from resolvers.errors import Conflict, NotFound
from resolvers.ports import EventPublisher
from resolvers.users import create_user

__all__ = ["create_user", "update_user"]


async def _other_active_admins(session: AsyncSession, user_id: int) -> int:
    # Locks the active admins' rows on PostgreSQL, so two admins demoting each other at the
    # same moment cannot both succeed; SQLite's write transaction is already exclusive.
    ids = (
        await session.scalars(
            select(User.id)
            .where(User.role == Role.ADMIN, User.active.is_(True), User.id != user_id)
            .with_for_update()
        )
    ).all()
    return len(ids)


async def update_user(
    session: AsyncSession,
    *,
    user_id: int,
    publisher: EventPublisher,
    name: str | None = None,
    role: Role | None = None,
    active: bool | None = None,
) -> User:
    """Change a user's name, role or active flag; only the arguments given change."""
    user = await session.scalar(select(User).where(User.id == user_id).with_for_update())
    if user is None:
        raise NotFound("No user with this id", field="id")
    if name is not None:
        user.name = normalise_name(name)
    was_active_admin = user.active and user.role == Role.ADMIN
    access_changed = (role is not None and role != user.role) or (
        active is not None and active != user.active
    )
    if role is not None:
        user.role = role
    if active is not None:
        user.active = active
    loses_admin = was_active_admin and not (user.active and user.role == Role.ADMIN)
    if loses_admin and await _other_active_admins(session, user.id) == 0:
        raise Conflict(
            "The last active admin cannot be demoted or deactivated",
            field="role" if role is not None and role != Role.ADMIN else "active",
            code="LAST_ADMIN",
        )
    await session.flush()
    if access_changed:
        await announce_user_access_changed(session, publisher, user_id=user.id)
    return user
