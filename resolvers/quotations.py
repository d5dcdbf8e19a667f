"""Quotations: priced offers moving DRAFT → SENT → ACCEPTED / REJECTED / EXPIRED."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer, Quotation, QuotationLine, QuotationStatusChange
from models.base import utcnow
from models.enums import QuotationStatus
from resolvers.actor import Actor
from resolvers.config import DomainConfig
from resolvers.contact_validation import normalise_optional_text
from resolvers.documents import check_transition, lock_by_id, record_status_change
from resolvers.errors import NotFound, ValidationFailed
from resolvers.numbering import QUOTATION, next_number
from resolvers.pricing import LineRequest, price_lines
from resolvers.relationship_refresh import refresh_customer_scores

_S = QuotationStatus
TRANSITIONS: dict[QuotationStatus, frozenset[QuotationStatus]] = {
    _S.DRAFT: frozenset({_S.SENT}),
    _S.SENT: frozenset({_S.ACCEPTED, _S.REJECTED, _S.EXPIRED}),
}


async def create_quotation(
    session: AsyncSession,
    *,
    actor: Actor,
    config: DomainConfig,
    customer_id: int,
    lines: Sequence[LineRequest],
    valid_until: dt.date | None = None,
    notes: str | None = None,
) -> Quotation:
    if await session.scalar(select(Customer.id).where(Customer.id == customer_id)) is None:
        raise NotFound("No customer with this id", field="customerId")
    today = config.today()
    if valid_until is None:
        valid_until = today + dt.timedelta(days=config.quotation_validity_days)
    elif valid_until < today:
        raise ValidationFailed("A quotation cannot be valid only in the past", field="validUntil")
    priced = await price_lines(session, customer_id=customer_id, lines=lines, on=today)
    now = utcnow()
    quotation = Quotation(
        number=await next_number(session, QUOTATION),
        customer_id=customer_id,
        status=QuotationStatus.DRAFT,
        valid_until=valid_until,
        total=priced.total,
        notes=normalise_optional_text(notes, field="notes", max_length=5000),
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    session.add(quotation)
    await session.flush()
    await session.execute(
        insert(QuotationLine),
        [{"quotation_id": quotation.id, **line.as_row()} for line in priced.lines],
    )
    await record_status_change(
        session,
        QuotationStatusChange,
        document_field="quotation_id",
        document_id=quotation.id,
        from_status=None,
        to_status=QuotationStatus.DRAFT,
        actor=actor,
        note=None,
    )
    return quotation


async def update_quotation_status(
    session: AsyncSession,
    *,
    actor: Actor,
    quotation_id: int,
    status: QuotationStatus,
    note: str | None = None,
    config: DomainConfig | None = None,
) -> Quotation:
    quotation = await lock_by_id(session, Quotation, quotation_id, what="quotation")
    check_transition(TRANSITIONS, quotation.status, status, what="quotation")
    previous = quotation.status
    now = utcnow()
    quotation.status = status
    quotation.updated_at = now
    if status is QuotationStatus.SENT:
        quotation.sent_at = now
    await record_status_change(
        session,
        QuotationStatusChange,
        document_field="quotation_id",
        document_id=quotation.id,
        from_status=previous,
        to_status=status,
        actor=actor,
        note=normalise_optional_text(note, field="note", max_length=500),
    )
    await session.flush()
    await refresh_customer_scores(session, quotation.customer_id, config=config)
    return quotation
