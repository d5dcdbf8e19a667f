"""Changing a credit limit: managers only, with a reason, audited in the same transaction.

The history is append-only (nothing in the API edits or deletes it). Changes to one
customer serialise on its row lock, so N concurrent successful changes leave N history
rows whose old and new values chain without gaps, ending at the customer's limit.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from models import CreditLimitHistory, Customer
from models.base import utcnow
from resolvers.actor import Actor
from resolvers.config import DomainConfig
from resolvers.credit_exposure import ExposureCause, lock_customer, notice_crossing, status_of
from resolvers.errors import Conflict, NotAllowed, ValidationFailed
from resolvers.money import round_money
from resolvers.ports import EventPublisher
from resolvers.roles import Action, is_allowed

MAX_REASON = 500
MAX_LIMIT = Decimal("999999999999.99")


def validate_limit(value: Decimal | None, *, field: str = "newLimit") -> Decimal | None:
    """None (no limit) or a non-negative amount with at most two decimals."""
    if value is None:
        return None
    if not value.is_finite() or value < 0 or value > MAX_LIMIT:
        raise ValidationFailed(
            "A credit limit is an amount from 0 to 999,999,999,999.99, or null for no limit",
            field=field,
        )
    if round_money(value) != value:
        raise ValidationFailed("A credit limit has at most two decimals", field=field)
    return round_money(value)


def validate_reason(value: str | None, *, field: str = "reason") -> str:
    reason = " ".join((value or "").split())
    if not reason:
        raise ValidationFailed("Say why the limit changes", field=field, code="REQUIRED")
    if len(reason) > MAX_REASON:
        raise ValidationFailed(f"A reason has at most {MAX_REASON} characters", field=field)
    return reason


async def record_limit_change(
    session: AsyncSession,
    *,
    customer: Customer,
    new_limit: Decimal | None,
    reason: str,
    actor_id: int | None,
) -> CreditLimitHistory:
    """Set a locked customer's limit and append the history row (shared with imports)."""
    now = utcnow()
    change = CreditLimitHistory(
        customer_id=customer.id,
        old_limit=customer.credit_limit,
        new_limit=new_limit,
        reason=reason,
        changed_by_id=actor_id,
        changed_at=now,
    )
    customer.credit_limit = new_limit
    customer.version += 1
    customer.updated_at = now
    session.add(change)
    await session.flush()
    return change


async def update_credit_limit(
    session: AsyncSession,
    *,
    actor: Actor,
    config: DomainConfig,
    customer_id: int,
    new_limit: Decimal | None,
    reason: str,
    expected_version: int | None = None,
    publisher: EventPublisher | None = None,
) -> tuple[Customer, CreditLimitHistory]:
    if not is_allowed(actor.role, Action.MANAGE_CREDIT):
        raise NotAllowed("Only managers and admins change credit limits")
    limit = validate_limit(new_limit)
    text = validate_reason(reason)
    customer = await lock_customer(session, customer_id, field="customerId")
    if expected_version is not None and expected_version != customer.version:
        raise Conflict(
            f"The customer changed since you read it (version {customer.version}, you read "
            f"{expected_version}); reload and try again",
            field="expectedVersion",
            code="STALE_VERSION",
        )
    if limit == customer.credit_limit:
        raise ValidationFailed(
            "The limit is already this amount", field="newLimit", code="UNCHANGED"
        )
    before = status_of(customer, config.credit)
    change = await record_limit_change(
        session, customer=customer, new_limit=limit, reason=text, actor_id=actor.id
    )
    await notice_crossing(
        session,
        customer=customer,
        before=before,
        after=status_of(customer, config.credit),
        cause=ExposureCause.LIMIT_CHANGE,
        actor=actor,
        publisher=publisher,
    )
    return customer, change
