"""Batch reads of plain rows, aligned with the keys asked for (what data loaders need)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession


async def rows_by_ids(
    session: AsyncSession, model: Any, ids: Sequence[int], *, columns: Sequence[Any] = ()
) -> list[Row[Any] | None]:
    """Rows of ``model`` for ``ids`` in one statement; None where an id has no row."""
    selected = columns or model.__table__.c
    rows = (await session.execute(select(*selected).where(model.id.in_(ids)))).all()
    by_id = {r.id: r for r in rows}
    return [by_id.get(i) for i in ids]
