"""What quotations and orders share: status machines, row locks and line reads."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Row, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from resolvers.actor import Actor
from resolvers.errors import DomainError, NotFound

S = TypeVar("S", bound=enum.Enum)
M = TypeVar("M")


def check_transition(
    transitions: Mapping[S, frozenset[S]], current: S, target: S, *, what: str
) -> None:
    if target not in transitions.get(current, frozenset()):
        allowed = ", ".join(sorted(s.value for s in transitions.get(current, frozenset())))
        raise DomainError(
            f"This {what} cannot go from {current.value} to {target.value}"
            + (f" (allowed: {allowed})" if allowed else " (it is final)"),
            field="status",
            code="INVALID_TRANSITION",
        )


async def lock_by_id(session: AsyncSession, model: type[M], id_: int, *, what: str) -> M:
    """Load a row for update: on PostgreSQL a row lock, on SQLite the writer's BEGIN IMMEDIATE."""
    row = await session.scalar(
        select(model).where(model.id == id_).with_for_update()  # type: ignore[attr-defined]
    )
    if row is None:
        raise NotFound(f"No {what} with this id", field="id")
    return row


async def record_status_change(
    session: AsyncSession,
    change_model: type[Any],
    *,
    document_field: str,
    document_id: int,
    from_status: enum.Enum | None,
    to_status: enum.Enum,
    actor: Actor,
    note: str | None,
) -> None:
    await session.execute(
        insert(change_model).values(
            {
                document_field: document_id,
                "from_status": from_status.value if from_status else None,
                "to_status": to_status.value,
                "changed_by_id": actor.id,
                "changed_at": utcnow(),
                "note": note,
            }
        )
    )


async def rows_by_parent_ids(
    session: AsyncSession, model: type[Any], parent_column: str, ids: Sequence[int], order: str
) -> list[list[Row[Any]]]:
    """Children of many parents in one statement, grouped and aligned with ``ids``."""
    parent = getattr(model, parent_column)
    rows = (
        await session.execute(
            select(*model.__table__.c)
            .where(parent.in_(ids))
            .order_by(parent, getattr(model, order), model.id)
        )
    ).all()
    grouped: dict[int, list[Row[Any]]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, parent_column), []).append(row)
    return [grouped.get(i, []) for i in ids]
