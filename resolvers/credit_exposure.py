"""Keeping exposure current and noticing when it crosses a threshold.

Every change that moves a customer's exposure — an order, a payment, a cancellation, a
limit change — runs under the customer's row lock (PostgreSQL ``FOR UPDATE``; SQLite's
``BEGIN IMMEDIATE``), so concurrent orders see each other and a limit holds. When the
level rises (OK → WARNING → CRITICAL → EXCEEDED) an alert event is stored, published to
live subscribers at commit, and at CRITICAL or worse the owner gets one open follow-up task.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CreditAlertEvent, Customer, FollowUpTask
from models.base import utcnow
from models.enums import Priority, TaskSource, TaskStatus
from resolvers.actor import Actor
from resolvers.config import CreditThresholds, DomainConfig
from resolvers.credit import CreditLevel, CreditStatus, credit_status
from resolvers.errors import NotFound
from resolvers.ports import EventPublisher
from resolvers.sql import insert_or_ignore

CREDIT_ALERTS_TOPIC = "credit-alerts"
TASK_LEVELS = frozenset({CreditLevel.CRITICAL, CreditLevel.EXCEEDED})


class ExposureCause(enum.StrEnum):
    ORDER = "ORDER"
    PAYMENT = "PAYMENT"
    CANCELLATION = "CANCELLATION"
    LIMIT_CHANGE = "LIMIT_CHANGE"


@dataclass(frozen=True)
class CreditCheck:
    allowed: bool
    limit: Decimal | None
    outstanding: Decimal
    available: Decimal | None
    utilization_after: Decimal | None
    level_after: CreditLevel


def check_credit(
    limit: Decimal | None, outstanding: Decimal, amount: Decimal, thresholds: CreditThresholds
) -> CreditCheck:
    """What ``amount`` more would do: allowed unless it takes exposure over the limit."""
    after = credit_status(limit, outstanding + amount, thresholds)
    return CreditCheck(
        allowed=limit is None or outstanding + amount <= limit,
        limit=limit,
        outstanding=outstanding,
        available=None if limit is None else limit - outstanding,
        utilization_after=after.utilization,
        level_after=after.level,
    )


async def lock_customer(session: AsyncSession, customer_id: int, *, field: str) -> Customer:
    customer = await session.scalar(
        select(Customer).where(Customer.id == customer_id).with_for_update()
    )
    if customer is None:
        raise NotFound("No customer with this id", field=field)
    return customer


def status_of(customer: Customer, thresholds: CreditThresholds) -> CreditStatus:
    return credit_status(customer.credit_limit, customer.credit_outstanding, thresholds)


async def apply_exposure_change(
    session: AsyncSession,
    *,
    customer: Customer,
    delta: Decimal,
    cause: ExposureCause,
    actor: Actor,
    config: DomainConfig,
    publisher: EventPublisher | None,
) -> CreditStatus:
    """Move a locked customer's outstanding by ``delta`` and react to a rising level."""
    before = status_of(customer, config.credit)
    customer.credit_outstanding = customer.credit_outstanding + delta
    after = status_of(customer, config.credit)
    await notice_crossing(
        session,
        customer=customer,
        before=before,
        after=after,
        cause=cause,
        actor=actor,
        publisher=publisher,
    )
    return after


async def notice_crossing(
    session: AsyncSession,
    *,
    customer: Customer,
    before: CreditStatus,
    after: CreditStatus,
    cause: ExposureCause,
    actor: Actor,
    publisher: EventPublisher | None,
) -> CreditAlertEvent | None:
    if after.level.rank <= before.level.rank:
        return None
    now = utcnow()
    alert = CreditAlertEvent(
        customer_id=customer.id,
        level=after.level.value,
        previous_level=before.level.value,
        utilization=None if after.utilization is None else float(after.utilization),
        outstanding=after.outstanding,
        limit=after.limit,
        cause=cause.value,
        actor_id=actor.id,
        occurred_at=now,
    )
    session.add(alert)
    await session.flush()
    if after.level in TASK_LEVELS:
        await _open_credit_task(session, customer=customer, status=after, actor=actor, now=now)
    if publisher is not None:
        await publisher.publish(session, CREDIT_ALERTS_TOPIC, alert_message(alert, customer))
    return alert


def alert_message(alert: CreditAlertEvent, customer: Customer) -> dict[str, object]:
    return {
        "alertId": alert.id,
        "customerId": customer.id,
        "ownerId": customer.owner_id,
        "actorId": alert.actor_id,
        "level": alert.level,
        "previousLevel": alert.previous_level,
        "limit": None if alert.limit is None else str(alert.limit),
        "outstanding": str(alert.outstanding),
        "utilization": alert.utilization,
        "occurredAt": alert.occurred_at.isoformat(),
    }


async def _open_credit_task(
    session: AsyncSession,
    *,
    customer: Customer,
    status: CreditStatus,
    actor: Actor,
    now: dt.datetime,
) -> None:
    """One open credit task per customer (a partial unique index), however alerts race."""
    used = "no limit" if status.utilization is None else f"{status.utilization:.0%} used"
    if status.limit == 0:
        used = f"{status.outstanding} outstanding on no credit"
    await session.execute(
        insert_or_ignore(session, FollowUpTask).values(
            customer_id=customer.id,
            title=f"Credit {status.level.value.lower()}: {customer.name} ({used})",
            description=(
                f"Outstanding {status.outstanding} against a limit of {status.limit}. "
                "Collect payment, review the limit, or hold new orders."
            ),
            assignee_id=customer.owner_id or actor.id,
            created_by_id=actor.id,
            due_at=now + dt.timedelta(days=1),
            priority=Priority.URGENT if status.level is CreditLevel.EXCEEDED else Priority.HIGH,
            status=TaskStatus.OPEN,
            source=TaskSource.CREDIT,
            created_at=now,
            updated_at=now,
        )
    )
