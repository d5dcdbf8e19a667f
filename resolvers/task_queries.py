"""Reading follow-up tasks: the task list (keyset by due date, then id) and, for a page of
customers, each one's first few tasks and their counts in a constant number of statements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import FollowUpTask
from models.enums import TaskStatus
from resolvers.pagination import Page, SortKey, fetch_page, parse_datetime
from resolvers.rows import rows_by_ids

_KEY = SortKey(columns=[FollowUpTask.due_at, FollowUpTask.id], parsers=[parse_datetime, int])
_KEY_NAMES = ["due_at", "id"]
_T = FollowUpTask.__table__.c


@dataclass(frozen=True)
class TaskFilter:
    """``assignee_id`` None means everyone's (the API decides who may ask for that)."""

    assignee_id: int | None = None
    statuses: tuple[TaskStatus, ...] = ()
    customer_id: int | None = None
    due_from: dt.datetime | None = None
    due_before: dt.datetime | None = None
    overdue: bool | None = None
    overdue_cutoff: dt.datetime | None = None  # from resolvers.task_rules.overdue_cutoff


def _conditions(flt: TaskFilter) -> list[Any]:
    conditions: list[Any] = []
    if flt.assignee_id is not None:
        conditions.append(FollowUpTask.assignee_id == flt.assignee_id)
    if flt.statuses:
        conditions.append(FollowUpTask.status.in_(flt.statuses))
    if flt.customer_id is not None:
        conditions.append(FollowUpTask.customer_id == flt.customer_id)
    if flt.due_from is not None:
        conditions.append(FollowUpTask.due_at >= flt.due_from)
    if flt.due_before is not None:
        conditions.append(FollowUpTask.due_at < flt.due_before)
    if flt.overdue is not None and flt.overdue_cutoff is not None:
        overdue = and_(
            FollowUpTask.status == TaskStatus.OPEN, FollowUpTask.due_at < flt.overdue_cutoff
        )
        conditions.append(overdue if flt.overdue else ~overdue)
    return conditions


async def list_tasks(
    session: AsyncSession, *, flt: TaskFilter, first: int, after: str | None
) -> Page[Row[Any]]:
    query = select(*_T).where(*_conditions(flt))
    return await fetch_page(
        session, query, key=_KEY, key_names=_KEY_NAMES, first=first, after=after
    )


async def count_tasks(session: AsyncSession, *, flt: TaskFilter) -> int:
    query = select(func.count()).select_from(FollowUpTask).where(*_conditions(flt))
    return int(await session.scalar(query) or 0)


async def tasks_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Row[Any] | None]:
    return await rows_by_ids(session, FollowUpTask, ids)


@dataclass(frozen=True)
class CustomerTasksKey:
    """One customer's slice of a customer page's ``followUpTasks(filter, first)``."""

    customer_id: int
    flt: TaskFilter
    first: int


async def first_tasks_by_customer(
    session: AsyncSession, keys: Sequence[CustomerTasksKey]
) -> list[list[Row[Any]]]:
    """The first ``first`` + 1 tasks (by due date, id) of each customer (the extra one tells
    whether more follow): one windowed statement per distinct filter, whatever the number
    of customers."""
    found: dict[CustomerTasksKey, list[Row[Any]]] = {}
    groups: dict[tuple[TaskFilter, int], list[CustomerTasksKey]] = {}
    for key in keys:
        groups.setdefault((key.flt, key.first), []).append(key)
    for (flt, first), members in groups.items():
        ids = sorted({k.customer_id for k in members})
        position = (
            func.row_number()
            .over(
                partition_by=FollowUpTask.customer_id,
                order_by=(FollowUpTask.due_at, FollowUpTask.id),
            )
            .label("position")
        )
        ranked = (
            select(*_T, position)
            .where(FollowUpTask.customer_id.in_(ids), *_conditions(flt))
            .subquery()
        )
        query = (
            select(ranked)
            .where(ranked.c.position <= first + 1)
            .order_by(ranked.c.customer_id, ranked.c.position)
        )
        rows = (await session.execute(query)).all()
        by_customer: dict[int, list[Row[Any]]] = {}
        for row in rows:
            by_customer.setdefault(row.customer_id, []).append(row)
        for key in members:
            found[key] = by_customer.get(key.customer_id, [])
    return [found[k] for k in keys]


async def task_counts_by_customer(
    session: AsyncSession, keys: Sequence[tuple[int, TaskFilter]]
) -> list[int]:
    """How many tasks match per customer: one ``GROUP BY`` per distinct filter."""
    counts: dict[tuple[int, TaskFilter], int] = {}
    groups: dict[TaskFilter, set[int]] = {}
    for customer_id, flt in keys:
        groups.setdefault(flt, set()).add(customer_id)
    for flt, ids in groups.items():
        query = (
            select(FollowUpTask.customer_id, func.count())
            .where(FollowUpTask.customer_id.in_(sorted(ids)), *_conditions(flt))
            .group_by(FollowUpTask.customer_id)
        )
        found = {row[0]: row[1] for row in (await session.execute(query)).all()}
        for customer_id in ids:
            counts[(customer_id, flt)] = int(found.get(customer_id, 0))
    return [counts[k] for k in keys]
