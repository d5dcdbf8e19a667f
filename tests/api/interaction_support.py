"""Shared set-up for the interaction and task tests: customers and tasks made quickly."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from models import Customer, FollowUpTask
from models.enums import BusinessType, CustomerStatus, Priority, TaskSource, TaskStatus

_numbers = itertools.count(1)


async def make_customer(api: Any, *, owner_id: int | None) -> int:
    number = next(_numbers)
    async with api.db.write_session() as session:
        customer = Customer(
            code=f"IT-{number:06d}",
            name=f"Interaction Customer {number}",
            business_type=BusinessType.SMALL_BUSINESS,
            status=CustomerStatus.ACTIVE,
            owner_id=owner_id,
            country="IN",
            search_text=f"interaction customer {number}",
        )
        session.add(customer)
        await session.commit()
        return customer.id


async def make_task(
    api: Any,
    *,
    customer_id: int,
    assignee_id: int,
    due_at: dt.datetime,
    status: TaskStatus = TaskStatus.OPEN,
    title: str = "Call back",
) -> int:
    async with api.db.write_session() as session:
        task = FollowUpTask(
            customer_id=customer_id,
            title=title,
            assignee_id=assignee_id,
            created_by_id=assignee_id,
            due_at=due_at,
            priority=Priority.MEDIUM,
            status=status,
            source=TaskSource.MANUAL,
        )
        session.add(task)
        await session.commit()
        return task.id
