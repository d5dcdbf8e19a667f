"""Users: sign-in, pickers, and creating accounts from the command line."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import User
from models.enums import Role
from resolvers.contact_validation import normalise_email, normalise_name
from resolvers.errors import Conflict, ValidationFailed
from resolvers.pagination import Page, SortKey, fetch_page
from resolvers.passwords import hash_password, verify_password
from resolvers.rows import rows_by_ids
from resolvers.search import LIKE_ESCAPE, contains_pattern, normalise_query

MIN_PASSWORD_LENGTH = 10
_KEY = SortKey(columns=[User.name, User.id], parsers=[str, int])


@dataclass
class LoginThrottle:
    """Slows repeated failed sign-ins for one email, in this process.

    After ``free_failures`` failures each further attempt waits twice as long as the
    one before, up to ``max_delay`` seconds; a success clears the count. The wait is
    the same whether or not the email exists, so it reveals nothing.
    """

    free_failures: int = 3
    max_delay: float = 5.0
    base_delay: float = 0.25
    forget_after: float = 900.0
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)

    def delay_for(self, email: str) -> float:
        count, last = self._failures.get(email, (0, 0.0))
        if time.monotonic() - last > self.forget_after:
            return 0.0
        excess = count - self.free_failures
        return 0.0 if excess < 0 else min(self.max_delay, self.base_delay * 2**excess)

    def failed(self, email: str) -> None:
        count, _ = self._failures.get(email, (0, 0.0))
        self._failures[email] = (count + 1, time.monotonic())
        if len(self._failures) > 100_000:  # bounded memory under a spraying attack
            self._failures.pop(next(iter(self._failures)))

    def succeeded(self, email: str) -> None:
        self._failures.pop(email, None)


async def authenticate(
    session: AsyncSession, *, email: str, password: str, throttle: LoginThrottle
) -> User | None:
    """The active user with this email and password, or None — never saying which part failed."""
    key = email.strip().lower()
    delay = throttle.delay_for(key)
    if delay:
        await asyncio.sleep(delay)
    user = await session.scalar(select(User).where(User.email == key))
    ok = await verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        throttle.failed(key)
        return None
    throttle.succeeded(key)
    return user


async def create_user(
    session: AsyncSession, *, email: str, name: str, role: Role, password: str
) -> User:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"A password has at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    user = User(
        email=normalise_email(email),
        name=normalise_name(name),
        role=role,
        password_hash=await hash_password(password),
        active=True,
    )
    if user.email is None:
        raise ValidationFailed("An email is required", field="email", code="REQUIRED")
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict("A user with this email exists", field="email", code="DUPLICATE") from exc
    return user


async def active_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.scalar(select(User).where(User.id == user_id, User.active.is_(True)))


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == email.strip().lower()))


def _user_conditions(search: str | None, include_inactive: bool = False) -> list[Any]:
    conditions: list[Any] = [] if include_inactive else [User.active.is_(True)]
    if search and search.strip():
        for word in normalise_query(search).split(" "):
            pattern = contains_pattern(word)
            conditions.append(
                or_(
                    func.lower(User.name).like(pattern, escape=LIKE_ESCAPE),
                    User.email.like(pattern, escape=LIKE_ESCAPE),
                )
            )
    return conditions


async def list_users(
    session: AsyncSession,
    *,
    search: str | None,
    first: int,
    after: str | None,
    include_inactive: bool = False,
) -> Page[Row[Any]]:
    query = select(User.id, User.name, User.email, User.role, User.active).where(
        and_(True, *_user_conditions(search, include_inactive))
    )
    return await fetch_page(
        session, query, key=_KEY, key_names=["name", "id"], first=first, after=after
    )


async def count_users(
    session: AsyncSession, *, search: str | None, include_inactive: bool = False
) -> int:
    conditions = _user_conditions(search, include_inactive)
    query = select(func.count()).select_from(User).where(and_(True, *conditions))
    return int(await session.scalar(query) or 0)


async def users_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Row[Any] | None]:
    columns = (User.id, User.name, User.email, User.role, User.active)
    return await rows_by_ids(session, User, ids, columns=columns)
