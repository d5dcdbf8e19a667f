"""Undoing a finished import: remove the customers it created, restore the ones it updated.

Only what is still exactly as the import left it is touched. A customer changed since
(its version moved on) or one that later documents refer to (orders, quotations,
interactions, tasks) is left alone and listed, with the reason, so nobody loses work
that happened after the import.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    CreditAlertEvent,
    CreditLimitHistory,
    CreditOverrideEvent,
    Customer,
    CustomerImportChange,
    CustomerInteraction,
    FollowUpTask,
    Job,
    Order,
    Quotation,
)
from models.base import utcnow
from models.enums import BusinessType, CustomerStatus, ImportAction, JobStatus
from resolvers.actor import Actor
from resolvers.categorisation import categorize_customers
from resolvers.config import DomainConfig
from resolvers.credit_limits import record_limit_change
from resolvers.customer_import import JOB_KIND
from resolvers.customers import refresh_search_text, replace_tags
from resolvers.errors import Conflict, NotAllowed, NotFound
from resolvers.roles import Action, is_allowed

# Documents that make a customer part of later work, with the column saying when.
_DOCUMENTS = (
    (Order, Order.created_at),
    (Quotation, Quotation.created_at),
    (CustomerInteraction, CustomerInteraction.created_at),
    (FollowUpTask, FollowUpTask.created_at),
    (CreditOverrideEvent, CreditOverrideEvent.occurred_at),
)


@dataclass(frozen=True)
class LeftAlone:
    customer_id: int
    code: str
    reason: str


@dataclass
class UndoResult:
    job_id: int
    removed: int = 0
    restored: int = 0
    left_alone: list[LeftAlone] = field(default_factory=list)


def _restored_value(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column == "credit_limit":
        return Decimal(value)
    if column == "business_type":
        return BusinessType(value)
    if column == "status":
        return CustomerStatus(value)
    if column in ("created_at", "updated_at"):
        return dt.datetime.fromisoformat(value)
    return value


async def _referenced_since(
    session: AsyncSession, customer_ids: list[int], since: dt.datetime | None
) -> set[int]:
    """Customers some document refers to (created since ``since``, when given)."""
    found: set[int] = set()
    for start in range(0, len(customer_ids), 5000):
        chunk = customer_ids[start : start + 5000]
        for model, created in _DOCUMENTS:
            column = model.__table__.c.customer_id
            rows = await session.execute(
                select(column)
                .where(column.in_(chunk), true() if since is None else created >= since)
                .distinct()
            )
            found.update(r[0] for r in rows)
    return found


async def undo_import(
    session: AsyncSession, *, actor: Actor, job_id: int, config: DomainConfig
) -> UndoResult:
    if not is_allowed(actor.role, Action.REFIT_ALL):
        raise NotAllowed("Only managers and admins undo an import")
    job = await session.get(Job, job_id, with_for_update=True, populate_existing=True)
    if job is None or job.kind != JOB_KIND:
        raise NotFound("No import with this id", field="jobId")
    result_data = dict(job.result or {})
    if job.status is not JobStatus.SUCCEEDED:
        raise Conflict("Only a finished import can be undone", field="jobId", code="NOT_FINISHED")
    if result_data.get("undoneAt"):
        raise Conflict("This import was already undone", field="jobId", code="ALREADY_UNDONE")
    if not result_data.get("written"):
        raise Conflict(
            "This import wrote nothing (a dry run, or rejected)",
            field="jobId",
            code="NOTHING_TO_UNDO",
        )
    query = (
        select(
            CustomerImportChange.customer_id,
            CustomerImportChange.action,
            CustomerImportChange.before,
            CustomerImportChange.version_after,
            Customer.version,
            Customer.code,
        )
        .join(Customer, Customer.id == CustomerImportChange.customer_id)
        .where(CustomerImportChange.job_id == job_id)
        .order_by(CustomerImportChange.customer_id)
    )
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        query = query.with_for_update(of=Customer)
    changes = (await session.execute(query)).all()
    outcome = UndoResult(job_id=job_id)
    # Any document on a customer the import created came later; an updated customer's
    # older documents were there before the import and do not hold it back.
    referenced = await _referenced_since(
        session, [c.customer_id for c in changes if c.action is ImportAction.CREATED], None
    ) | await _referenced_since(
        session,
        [c.customer_id for c in changes if c.action is ImportAction.UPDATED],
        job.started_at or job.created_at,
    )
    removable: list[int] = []
    for change in changes:
        if change.version != change.version_after:
            outcome.left_alone.append(
                LeftAlone(change.customer_id, change.code, "changed since the import")
            )
        elif change.customer_id in referenced:
            outcome.left_alone.append(
                LeftAlone(
                    change.customer_id,
                    change.code,
                    "has orders, quotations, interactions or tasks since the import",
                )
            )
        elif change.action is ImportAction.CREATED:
            removable.append(change.customer_id)
        else:
            try:
                async with session.begin_nested():
                    await _restore(session, change, job_id=job_id, actor=actor)
            except IntegrityError:
                outcome.left_alone.append(
                    LeftAlone(
                        change.customer_id,
                        change.code,
                        "its previous code, tax id or email now belongs to another customer",
                    )
                )
                continue
            outcome.restored += 1
    for start in range(0, len(removable), 5000):
        chunk = removable[start : start + 5000]
        for model in (CreditLimitHistory, CreditAlertEvent):
            await session.execute(delete(model).where(model.customer_id.in_(chunk)))
        await session.execute(delete(Customer).where(Customer.id.in_(chunk)))
    outcome.removed = len(removable)
    if outcome.restored:
        await categorize_customers(
            session,
            conditions=[
                Customer.id.in_(
                    select(CustomerImportChange.customer_id).where(
                        CustomerImportChange.job_id == job_id,
                        CustomerImportChange.action == ImportAction.UPDATED,
                    )
                )
            ],
            config=config,
        )
    job.result = {
        **result_data,
        "undoneAt": utcnow().isoformat(),
        "undoneById": actor.id,
        "undo": {
            "removed": outcome.removed,
            "restored": outcome.restored,
            "leftAlone": [
                {"customerId": item.customer_id, "code": item.code, "reason": item.reason}
                for item in outcome.left_alone
            ],
        },
    }
    return outcome


async def _restore(session: AsyncSession, change: Any, *, job_id: int, actor: Actor) -> None:
    """Put back the columns (and tags) the import changed; a changed credit limit goes
    through the audited credit path, like any other limit change."""
    before = dict(change.before or {})
    tags = before.pop("tags", None)
    values = {column: _restored_value(column, value) for column, value in before.items()}
    customer = await session.get(Customer, change.customer_id, populate_existing=True)
    assert customer is not None
    limit = values.pop("credit_limit", customer.credit_limit)
    if limit != customer.credit_limit:
        # Sets the limit, moves the version on and appends the history row.
        await record_limit_change(
            session,
            customer=customer,
            new_limit=limit,
            reason=f"undo import {job_id}",
            actor_id=actor.id,
        )
    else:
        customer.version += 1
        customer.updated_at = utcnow()
    for column, value in values.items():
        setattr(customer, column, value)
    refresh_search_text(customer)
    customer.import_job_id = None
    if tags is not None:
        await replace_tags(session, customer.id, tags)
    await session.flush()
