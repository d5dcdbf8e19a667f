"""Managing segments by hand: CUSTOM segments, and putting customers in or out of them.

Only CUSTOM segments are created, deleted or filled by hand; the other kinds belong to
their rules (BUSINESS_TYPE, VOLUME and ENGAGEMENT are seeded, LOCATION appear with new
states), and a hand-placed customer would break their mutual exclusion. Any segment's
name and description may be edited; keys and kinds never change (filters and defaults
find segments by key).

Customers added by hand get MANUAL memberships, which automatic runs never remove; an
AUTO membership that already exists becomes MANUAL. Removing takes customers out whatever
the source — a rule that still matches puts them back at the next categorisation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Customer,
    CustomerSegment,
    CustomerSegmentMembership,
    OrderLine,
    QuotationLine,
    SegmentPricingRule,
)
from models.base import utcnow
from models.enums import MembershipSource, SegmentKind
from resolvers.contact_validation import normalise_name, normalise_optional_text
from resolvers.errors import Conflict, NotFound, ValidationFailed
from resolvers.sql import insert_or_ignore

MAX_CUSTOMERS_PER_CALL = 1000
CUSTOM_KEY_PREFIX = "custom:"


def _key_for(name: str, key: str | None) -> str:
    raw = key if key is not None and key.strip() else name
    slug = re.sub(r"[^a-z0-9]+", "-", raw.strip().lower()).strip("-")
    if not slug:
        raise ValidationFailed("A key needs letters or digits", field="key")
    return (CUSTOM_KEY_PREFIX + slug)[:80]


async def segment_row(session: AsyncSession, segment_id: int, *, field: str = "id") -> Row[Any]:
    row = (
        await session.execute(
            select(*CustomerSegment.__table__.c).where(CustomerSegment.id == segment_id)
        )
    ).first()
    if row is None:
        raise NotFound("No segment with this id", field=field)
    return row


async def _custom_segment(session: AsyncSession, segment_id: int, *, field: str) -> Row[Any]:
    row = await segment_row(session, segment_id, field=field)
    if row.kind is not SegmentKind.CUSTOM:
        raise ValidationFailed(
            f"Only CUSTOM segments are managed by hand; this one is {row.kind.value}",
            field=field,
            code="NOT_CUSTOM",
        )
    return row


async def create_segment(
    session: AsyncSession, *, name: str, key: str | None = None, description: str | None = None
) -> Row[Any]:
    name = normalise_name(name)
    values = {
        "key": _key_for(name, key),
        "name": name,
        "kind": SegmentKind.CUSTOM,
        "description": normalise_optional_text(description, field="description", max_length=2000),
        "created_at": utcnow(),
    }
    created = (
        await session.execute(
            insert_or_ignore(session, CustomerSegment).values(values).returning(CustomerSegment.id)
        )
    ).first()
    if created is None:
        raise Conflict(
            f"A segment with the key {values['key']} exists", field="key", code="DUPLICATE"
        )
    return await segment_row(session, created.id)


async def update_segment(
    session: AsyncSession, *, segment_id: int, changes: dict[str, Any]
) -> Row[Any]:
    await segment_row(session, segment_id)
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = normalise_name(changes["name"])
    if "description" in changes:
        values["description"] = normalise_optional_text(
            changes["description"], field="description", max_length=2000
        )
    if values:
        await session.execute(
            update(CustomerSegment).where(CustomerSegment.id == segment_id).values(**values)
        )
    return await segment_row(session, segment_id)


async def delete_segment(session: AsyncSession, *, segment_id: int) -> None:
    """Delete a CUSTOM segment with its memberships, rules and pricing rules — unless one
    of its pricing rules priced a document line (those lines must keep their rule)."""
    await _custom_segment(session, segment_id, field="id")
    rules = select(SegmentPricingRule.id).where(SegmentPricingRule.segment_id == segment_id)
    used = await session.scalar(
        select(
            exists().where(QuotationLine.pricing_rule_id.in_(rules))
            | exists().where(OrderLine.pricing_rule_id.in_(rules))
        )
    )
    if used:
        raise Conflict(
            "A pricing rule of this segment priced quotation or order lines; "
            "deactivate the rules instead of deleting the segment",
            field="id",
            code="IN_USE",
        )
    await session.execute(delete(CustomerSegment).where(CustomerSegment.id == segment_id))


async def _existing_customers(session: AsyncSession, customer_ids: Sequence[int]) -> list[int]:
    ids = sorted(set(customer_ids))
    if not ids:
        raise ValidationFailed("Give at least one customer", field="customerIds", code="REQUIRED")
    if len(ids) > MAX_CUSTOMERS_PER_CALL:
        raise ValidationFailed(
            f"At most {MAX_CUSTOMERS_PER_CALL} customers per call", field="customerIds"
        )
    found = set((await session.scalars(select(Customer.id).where(Customer.id.in_(ids)))).all())
    if missing := [i for i in ids if i not in found]:
        raise NotFound(f"No customer with id {missing[0]}", field="customerIds")
    return ids


async def add_customers_to_segment(
    session: AsyncSession, *, segment_id: int, customer_ids: Sequence[int]
) -> int:
    """Manual memberships for these customers; returns how many were not members before."""
    await _custom_segment(session, segment_id, field="segmentId")
    ids = await _existing_customers(session, customer_ids)
    M = CustomerSegmentMembership
    await session.execute(
        update(M)
        .where(M.segment_id == segment_id, M.customer_id.in_(ids))
        .values(source=MembershipSource.MANUAL, rule_id=None)
    )
    now = utcnow()
    added = await session.execute(
        insert_or_ignore(session, M).values(
            [
                {
                    "customer_id": i,
                    "segment_id": segment_id,
                    "source": MembershipSource.MANUAL,
                    "assigned_at": now,
                }
                for i in ids
            ]
        )
    )
    return added.rowcount


async def remove_customers_from_segment(
    session: AsyncSession, *, segment_id: int, customer_ids: Sequence[int]
) -> int:
    """Take these customers out of the segment; returns how many were members."""
    await _custom_segment(session, segment_id, field="segmentId")
    ids = await _existing_customers(session, customer_ids)
    M = CustomerSegmentMembership
    removed = await session.execute(
        delete(M).where(M.segment_id == segment_id, M.customer_id.in_(ids))
    )
    return removed.rowcount
