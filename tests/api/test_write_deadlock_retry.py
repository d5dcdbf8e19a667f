"""A unit of work that PostgreSQL aborts as a deadlock victim is run again (schema/operations.py
``write``), so the client sees a success instead of an internal error."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Counter
from schema.operations import is_transient_conflict, write

KEYS = ("deadlock-test-a", "deadlock-test-b")


async def test_two_units_of_work_that_deadlock_both_succeed(api: Any) -> None:
    if api.dialect != "postgresql":
        pytest.skip("SQLite serialises writers at BEGIN IMMEDIATE: they cannot deadlock")
    # given: two counter rows, and two units of work that lock them in opposite order
    async with api.db.write_session() as session:
        await session.execute(delete(Counter).where(Counter.key.in_(KEYS)))
        await session.execute(insert(Counter), [{"key": k, "value": 0} for k in KEYS])
        await session.commit()
    both_hold_their_first_row = asyncio.Barrier(2)
    attempts: list[str] = []

    async def cross_update(session: AsyncSession, *, first: str, second: str) -> str:
        attempts.append(first)
        await session.execute(
            update(Counter).where(Counter.key == first).values(value=Counter.value + 1)
        )
        if len(attempts) <= 2:  # only the first attempts meet; a retry goes straight on
            await both_hold_their_first_row.wait()
        await session.execute(
            update(Counter).where(Counter.key == second).values(value=Counter.value + 1)
        )
        return first

    info = SimpleNamespace(context=SimpleNamespace(db=api.db))

    # when
    results = await asyncio.wait_for(
        asyncio.gather(
            write(info, cross_update, first=KEYS[0], second=KEYS[1]),  # type: ignore[arg-type]
            write(info, cross_update, first=KEYS[1], second=KEYS[0]),  # type: ignore[arg-type]
        ),
        timeout=30,
    )

    # then: both committed once, the deadlock victim after a second attempt
    assert results == [(KEYS[0], []), (KEYS[1], [])]
    assert len(attempts) == 3
    async with api.db.read_session() as session:
        values = (await session.execute(select(Counter.value).where(Counter.key.in_(KEYS)))).all()
    assert [v for (v,) in values] == [2, 2]


def test_only_deadlocks_and_serialization_failures_count_as_transient() -> None:
    def error(sqlstate: str | None) -> DBAPIError:
        return DBAPIError("statement", {}, SimpleNamespace(sqlstate=sqlstate))  # type: ignore[arg-type]

    assert is_transient_conflict(error("40P01"))
    assert is_transient_conflict(error("40001"))
    assert not is_transient_conflict(error("23505"))  # unique violation: a real conflict
    assert not is_transient_conflict(error(None))
