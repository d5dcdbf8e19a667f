"""The two shapes every operation takes: a read in a short session, or a unit of work.

A mutation opens one write session, calls the domain, commits, and turns ``DomainError``
into payload errors; it commits before the payload's nested fields are loaded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError
from strawberry.types import Info

from resolvers.actor import Actor
from resolvers.errors import DomainError, NotFound
from schema.errors import BadUserInput, Unauthenticated, UserError, user_errors

T = TypeVar("T")


def acting_user(info: Info) -> Actor:
    actor = info.context.actor
    if actor is None:
        raise Unauthenticated()
    return actor


def decode_id(value: str | int, *, field: str = "id") -> int:
    """Database id behind an opaque GraphQL ID; an unknown shape is simply not found."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound("No record with this id", field=field) from None
    if not 0 < number < 2**31:
        raise NotFound("No record with this id", field=field)
    return number


def optional_id(value: str | None, *, field: str) -> int | None:
    return None if value is None else decode_id(value, field=field)


async def read(info: Info, fn: Callable[..., Awaitable[T]], /, **kwargs: Any) -> T:
    async with info.context.db.read_session() as session:
        try:
            return await fn(session, **kwargs)
        except DomainError as exc:
            raise BadUserInput(exc) from exc


async def write(
    info: Info, fn: Callable[..., Awaitable[T]], /, **kwargs: Any
) -> tuple[T | None, list[UserError]]:
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        async with info.context.db.write_session() as session:
            try:
                result = await fn(session, **kwargs)
                await session.commit()
            except DomainError as exc:
                await session.rollback()
                return None, user_errors(exc)
            except DBAPIError as exc:
                if attempt == WRITE_ATTEMPTS or not is_transient_conflict(exc):
                    raise
                await session.rollback()
                continue
        return result, []
    raise AssertionError("unreachable")


# PostgreSQL aborts one of two transactions that wait for each other (deadlock_detected) or
# that cannot be serialised (serialization_failure); nothing of it was written, and the
# documented remedy is to run it again. Seen under load when a unit of work (order number
# counter, score upserts) meets the periodic all-customer score refresh.
TRANSIENT_SQLSTATES = frozenset({"40P01", "40001"})
WRITE_ATTEMPTS = 3


def is_transient_conflict(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in TRANSIENT_SQLSTATES
