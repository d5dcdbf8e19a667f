"""Follow-up tasks: create, complete, reassign, cancel (units of work, never committing).

The assignee hears of a new assignment through ``TASK_ALERTS_TOPIC``, published at commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer, FollowUpTask, User
from models.base import utcnow
from models.enums import Priority, TaskSource, TaskStatus
from resolvers.actor import Actor
from resolvers.config import DomainConfig
from resolvers.errors import Conflict, NotFound, ValidationFailed
from resolvers.ports import EventPublisher
from resolvers.task_rules import completed_late, ensure_may_change_task

TASK_ALERTS_TOPIC = "task-alerts"
MAX_TITLE = 300
MAX_OUTCOME = 1000
MAX_REASON = 500


def alert_message(kind: str, task: Any, *, at: dt.datetime) -> dict[str, Any]:
    """What ``taskAlerts`` subscribers receive: ASSIGNED or OVERDUE, for the assignee."""
    return {
        "kind": kind,
        "taskId": task.id,
        "assigneeId": task.assignee_id,
        "occurredAt": at.isoformat(),
    }


async def announce_assignment(
    session: AsyncSession, publisher: EventPublisher | None, task: Any, *, actor_id: int | None
) -> None:
    """Tell the assignee, unless they assigned it to themselves."""
    if publisher is not None and task.assignee_id != actor_id:
        await publisher.publish(
            session, TASK_ALERTS_TOPIC, alert_message("ASSIGNED", task, at=utcnow())
        )


def _text(value: str | None, *, field: str, limit: int, required: bool) -> str | None:
    cleaned = (value or "").strip()
    if not cleaned:
        if required:
            raise ValidationFailed("This must not be empty", field=field)
        return None
    if len(cleaned) > limit:
        raise ValidationFailed(f"At most {limit} characters", field=field)
    return cleaned


async def _active_user_id(session: AsyncSession, user_id: int, *, field: str) -> int:
    active = await session.scalar(select(User.active).where(User.id == user_id))
    if not active:
        raise NotFound("No active user with this id", field=field)
    return user_id


async def _customer_owner(session: AsyncSession, customer_id: int, *, field: str) -> int | None:
    row = (
        await session.execute(select(Customer.owner_id).where(Customer.id == customer_id))
    ).first()
    if row is None:
        raise NotFound("No customer with this id", field=field)
    return row.owner_id


async def create_task(
    session: AsyncSession,
    *,
    actor: Actor,
    customer_id: int,
    title: str,
    description: str | None,
    due_at: dt.datetime,
    priority: Priority,
    assignee_id: int | None,
    source: TaskSource = TaskSource.MANUAL,
    interaction_id: int | None = None,
    publisher: EventPublisher | None,
) -> FollowUpTask:
    """A new open task; assigned to the caller unless someone else is named."""
    await _customer_owner(session, customer_id, field="customerId")  # it must exist
    if due_at.tzinfo is None:
        raise ValidationFailed("The due time needs a time zone", field="dueAt")
    assignee = actor.id if assignee_id is None else assignee_id
    await _active_user_id(session, assignee, field="assigneeId")
    now = utcnow()
    task = FollowUpTask(
        customer_id=customer_id,
        interaction_id=interaction_id,
        title=_text(title, field="title", limit=MAX_TITLE, required=True),
        description=_text(description, field="description", limit=10_000, required=False),
        assignee_id=assignee,
        created_by_id=actor.id,
        due_at=due_at.astimezone(dt.UTC),
        priority=priority,
        status=TaskStatus.OPEN,
        source=source,
        created_at=now,
        updated_at=now,
    )
    session.add(task)
    await session.flush()
    await announce_assignment(session, publisher, task, actor_id=actor.id)
    return task


async def _changeable_task(session: AsyncSession, actor: Actor, task_id: int) -> FollowUpTask:
    """The task, locked, after the row-level rule (a refusal is a FORBIDDEN payload error)."""
    task = await session.scalar(
        select(FollowUpTask).where(FollowUpTask.id == task_id).with_for_update()
    )
    if task is None:
        raise NotFound("No task with this id", field="id")
    owner_id = await session.scalar(
        select(Customer.owner_id).where(Customer.id == task.customer_id)
    )
    ensure_may_change_task(actor, assignee_id=task.assignee_id, owner_id=owner_id)
    return task


def _ensure_open(task: FollowUpTask) -> None:
    if task.status is not TaskStatus.OPEN:
        raise Conflict(f"The task is already {task.status.value}", field="id")


async def complete_task(
    session: AsyncSession, *, actor: Actor, task_id: int, outcome: str, config: DomainConfig
) -> FollowUpTask:
    """Done: records when, by whom, with what outcome, and whether it was late."""
    cleaned = _text(outcome, field="outcome", limit=MAX_OUTCOME, required=True)
    task = await _changeable_task(session, actor, task_id)
    _ensure_open(task)
    now = utcnow()
    task.status = TaskStatus.COMPLETED
    task.outcome = cleaned
    task.completed_at = now
    task.completed_by_id = actor.id
    task.completed_late = completed_late(
        due_at=task.due_at, completed_at=now, timezone=config.timezone
    )
    task.updated_at = now
    await session.flush()
    return task


async def reassign_task(
    session: AsyncSession,
    *,
    actor: Actor,
    task_id: int,
    assignee_id: int,
    publisher: EventPublisher | None,
) -> FollowUpTask:
    task = await _changeable_task(session, actor, task_id)
    _ensure_open(task)
    await _active_user_id(session, assignee_id, field="assigneeId")
    if task.assignee_id != assignee_id:
        task.assignee_id = assignee_id
        task.overdue_notified_at = None  # the new assignee hears of it being overdue too
        task.updated_at = utcnow()
        await session.flush()
        await announce_assignment(session, publisher, task, actor_id=actor.id)
    return task


async def cancel_task(
    session: AsyncSession, *, actor: Actor, task_id: int, reason: str
) -> FollowUpTask:
    cleaned = _text(reason, field="reason", limit=MAX_REASON, required=True)
    task = await _changeable_task(session, actor, task_id)
    _ensure_open(task)
    task.status = TaskStatus.CANCELLED
    task.cancel_reason = cleaned
    task.updated_at = utcnow()
    await session.flush()
    return task
