"""The quotation follow-up sweep and the overdue announcement: each does its work once,
whether run twice or by two server processes at the same moment."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest_asyncio
from sqlalchemy import func, select

from app.domain_config import domain_config
from app.platform import Platform, create_platform
from app.scheduler import run_task
from models import Customer, FollowUpTask, Quotation, User
from models.enums import (
    BusinessType,
    CustomerStatus,
    Priority,
    QuotationStatus,
    Role,
    TaskSource,
    TaskStatus,
)
from resolvers import task_sweeps
from tests.support import settings_for, wipe

NOW = dt.datetime(2026, 3, 20, 6, 0, tzinfo=dt.UTC)


@pytest_asyncio.fixture
async def platforms(database_url, tmp_path) -> AsyncIterator[tuple[Platform, Platform]]:
    """Two platforms with engines of their own: two server processes, as far as SQL sees."""
    settings = settings_for(database_url, tmp_path, quotation_follow_up_days=7)
    first, second = create_platform(settings), create_platform(settings)
    await wipe(first.db.engine)
    try:
        yield first, second
    finally:
        await first.db.dispose()
        await second.db.dispose()


async def _owner_and_customer(platform: Platform) -> tuple[int, int]:
    async with platform.db.write_session() as session:
        user = User(
            email="owner@sanvi.test", name="Owner", role=Role.SALES, password_hash="x", active=True
        )
        session.add(user)
        await session.flush()
        customer = Customer(
            code="SW-1",
            name="Sweep Customer",
            business_type=BusinessType.ENTERPRISE,
            status=CustomerStatus.ACTIVE,
            owner_id=user.id,
            search_text="sweep customer",
        )
        session.add(customer)
        await session.commit()
        return user.id, customer.id


async def _quotation(
    platform: Platform, customer_id: int, number: str, *, sent_days_ago: int, status=None
) -> int:
    async with platform.db.write_session() as session:
        quotation = Quotation(
            number=number,
            customer_id=customer_id,
            status=status or QuotationStatus.SENT,
            total=Decimal("1000.00"),
            sent_at=NOW - dt.timedelta(days=sent_days_ago),
        )
        session.add(quotation)
        await session.commit()
        return quotation.id


async def _sweep(platform: Platform, now: dt.datetime = NOW) -> list[int]:
    async with platform.db.write_session() as session:
        created = await task_sweeps.open_quotation_follow_ups(
            session, now=now, config=domain_config(platform.settings), publisher=None
        )
        await session.commit()
    return created


async def _quotation_tasks(platform: Platform) -> list[tuple[int, int, TaskSource]]:
    async with platform.db.read_session() as session:
        rows = await session.execute(
            select(FollowUpTask.quotation_id, FollowUpTask.assignee_id, FollowUpTask.source)
        )
        return sorted(tuple(r) for r in rows)


async def test_a_quotation_sent_long_enough_ago_gets_one_task_for_the_owner(platforms):
    first, _ = platforms
    owner, customer = await _owner_and_customer(first)
    stale = await _quotation(first, customer, "Q-1", sent_days_ago=8)
    await _quotation(first, customer, "Q-2", sent_days_ago=3)  # too recent
    await _quotation(first, customer, "Q-3", sent_days_ago=30, status=QuotationStatus.ACCEPTED)

    created = await _sweep(first)

    assert len(created) == 1
    assert await _quotation_tasks(first) == [(stale, owner, TaskSource.QUOTATION)]


async def test_running_the_sweep_twice_creates_nothing_new(platforms):
    first, _ = platforms
    _, customer = await _owner_and_customer(first)
    await _quotation(first, customer, "Q-1", sent_days_ago=8)
    assert len(await _sweep(first)) == 1
    assert await _sweep(first, NOW + dt.timedelta(hours=1)) == []
    assert len(await _quotation_tasks(first)) == 1


async def test_a_completed_quotation_task_is_not_reopened_by_the_next_sweep(platforms):
    first, _ = platforms
    _, customer = await _owner_and_customer(first)
    await _quotation(first, customer, "Q-1", sent_days_ago=8)
    [task_id] = await _sweep(first)
    async with first.db.write_session() as session:
        task = await session.get(FollowUpTask, task_id)
        task.status = TaskStatus.COMPLETED
        await session.commit()
    assert await _sweep(first, NOW + dt.timedelta(days=1)) == []


async def test_two_processes_sweeping_at_once_create_one_task_per_quotation(platforms):
    first, second = platforms
    _, customer = await _owner_and_customer(first)
    for n in range(5):
        await _quotation(first, customer, f"Q-{n}", sent_days_ago=10)

    results = await asyncio.gather(_sweep(first), _sweep(second), return_exceptions=True)

    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(len(r) for r in results) == 5
    assert len(await _quotation_tasks(first)) == 5


async def test_the_sweep_is_a_periodic_task_run_once_per_period(platforms):
    first, second = platforms
    _, customer = await _owner_and_customer(first)
    quotation = await _quotation(first, customer, "Q-1", sent_days_ago=10)
    now = dt.datetime.now(dt.UTC)

    results = await asyncio.gather(
        run_task(first, "quotation-follow-ups", now=now),
        run_task(second, "quotation-follow-ups", now=now),
    )

    assert sorted(results, key=lambda r: r is None)[1] is None  # the other found it claimed
    assert [q for q, _, _ in await _quotation_tasks(first)] == [quotation]


async def _overdue_sweep(platform: Platform, now: dt.datetime) -> list[int]:
    async with platform.db.write_session() as session:
        announced = await task_sweeps.announce_overdue_tasks(
            session, now=now, config=domain_config(platform.settings), publisher=None
        )
        await session.commit()
    return announced


async def _task(platform: Platform, customer: int, owner: int, due_at: dt.datetime) -> int:
    async with platform.db.write_session() as session:
        task = FollowUpTask(
            customer_id=customer,
            title="Call",
            assignee_id=owner,
            due_at=due_at,
            priority=Priority.LOW,
            status=TaskStatus.OPEN,
            source=TaskSource.MANUAL,
        )
        session.add(task)
        await session.commit()
        return task.id


async def test_a_task_is_announced_overdue_once_after_its_business_day_ends(platforms):
    first, _ = platforms
    owner, customer = await _owner_and_customer(first)
    # due 2026-03-20 09:00 in Kolkata (03:30 UTC)
    task = await _task(first, customer, owner, dt.datetime(2026, 3, 20, 3, 30, tzinfo=dt.UTC))
    # 23:59 in Kolkata that day: not yet
    assert await _overdue_sweep(first, dt.datetime(2026, 3, 20, 18, 29, tzinfo=dt.UTC)) == []
    # 00:00 the next day in Kolkata: overdue, announced once
    assert await _overdue_sweep(first, dt.datetime(2026, 3, 20, 18, 30, tzinfo=dt.UTC)) == [task]
    assert await _overdue_sweep(first, dt.datetime(2026, 3, 21, 12, 0, tzinfo=dt.UTC)) == []


async def test_two_processes_announce_each_overdue_task_once(platforms):
    first, second = platforms
    owner, customer = await _owner_and_customer(first)
    tasks = [await _task(first, customer, owner, NOW - dt.timedelta(days=2)) for _ in range(4)]

    results = await asyncio.gather(_overdue_sweep(first, NOW), _overdue_sweep(second, NOW))

    assert sorted(results[0] + results[1]) == tasks
    async with first.db.read_session() as session:
        marked = await session.scalar(
            select(func.count()).where(FollowUpTask.overdue_notified_at.is_not(None))
        )
    assert marked == 4
