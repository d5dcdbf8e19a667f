"""Set-based sweeps over tasks, run periodically by the platform (also ``crm run-task``).

Both are safe to run twice, or in two processes at once:

- the quotation sweep inserts with ``ON CONFLICT DO NOTHING`` against a partial unique
  index (one QUOTATION task per quotation, ever), so a race creates nothing twice;
- the overdue sweep marks each task's ``overdue_notified_at`` in the same ``UPDATE`` that
  selects it, so a row is claimed (and announced) by exactly one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, exists, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer, FollowUpTask, Quotation
from models.enums import Priority, QuotationStatus, TaskSource, TaskStatus
from resolvers.config import DomainConfig
from resolvers.ports import EventPublisher
from resolvers.sql import insert_or_ignore
from resolvers.task_rules import overdue_cutoff
from resolvers.tasks import TASK_ALERTS_TOPIC, alert_message

QUOTATION_TASK_DUE_AFTER = dt.timedelta(days=1)


async def open_quotation_follow_ups(
    session: AsyncSession,
    *,
    now: dt.datetime,
    config: DomainConfig,
    publisher: EventPublisher | None,
) -> list[int]:
    """One follow-up task for every quotation SENT at least N days ago and still unanswered
    (status SENT), assigned to the customer's owner or else the quotation's author."""
    sent_before = now - dt.timedelta(days=config.quotation_follow_up_days)
    assignee = func.coalesce(Customer.owner_id, Quotation.created_by_id)
    already = exists().where(
        and_(
            FollowUpTask.quotation_id == Quotation.id,
            FollowUpTask.source == TaskSource.QUOTATION,
        )
    )
    candidates = (
        select(
            Quotation.customer_id,
            Quotation.id,
            literal("Follow up on quotation ") + Quotation.number,
            literal(
                f"No response {config.quotation_follow_up_days} days after the quotation was sent."
            ),
            assignee,
            literal(now + QUOTATION_TASK_DUE_AFTER, FollowUpTask.due_at.type),
            literal(Priority.MEDIUM.value),
            literal(TaskStatus.OPEN.value),
            literal(TaskSource.QUOTATION.value),
            literal(now, FollowUpTask.created_at.type),
            literal(now, FollowUpTask.updated_at.type),
        )
        .join(Customer, Customer.id == Quotation.customer_id)
        .where(
            Quotation.status == QuotationStatus.SENT,
            Quotation.sent_at <= sent_before,
            assignee.is_not(None),
            ~already,
        )
    )
    statement = (
        insert_or_ignore(session, FollowUpTask)
        .from_select(
            [
                "customer_id",
                "quotation_id",
                "title",
                "description",
                "assignee_id",
                "due_at",
                "priority",
                "status",
                "source",
                "created_at",
                "updated_at",
            ],
            candidates,
        )
        .returning(FollowUpTask.id, FollowUpTask.assignee_id)
    )
    created = (await session.execute(statement)).all()
    if publisher is not None:
        for task in created:
            await publisher.publish(
                session, TASK_ALERTS_TOPIC, alert_message("ASSIGNED", task, at=now)
            )
    return sorted(t.id for t in created)


async def announce_overdue_tasks(
    session: AsyncSession,
    *,
    now: dt.datetime,
    config: DomainConfig,
    publisher: EventPublisher | None,
) -> list[int]:
    """Mark and announce, once each, the open tasks that have become overdue."""
    statement = (
        update(FollowUpTask)
        .where(
            FollowUpTask.status == TaskStatus.OPEN,
            FollowUpTask.overdue_notified_at.is_(None),
            FollowUpTask.due_at < overdue_cutoff(now, config.timezone),
        )
        .values(overdue_notified_at=now)
        .returning(FollowUpTask.id, FollowUpTask.assignee_id)
        .execution_options(synchronize_session=False)
    )
    announced: list[Any] = list((await session.execute(statement)).all())
    if publisher is not None:
        for task in announced:
            await publisher.publish(
                session, TASK_ALERTS_TOPIC, alert_message("OVERDUE", task, at=now)
            )
    return sorted(t.id for t in announced)
