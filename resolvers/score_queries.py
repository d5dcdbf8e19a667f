"""Read paths for the stored scores: a whole page of customers in one statement each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CustomerEngagementScore, CustomerInteraction, CustomerRelationshipScore
from models.enums import InteractionStatus


async def engagements_by_customer_ids(
    session: AsyncSession, customer_ids: Sequence[int]
) -> list[Any | None]:
    """The stored engagement score of each customer with its last interaction (not
    cancelled), aligned with the ids; None where no score was computed yet."""
    I = CustomerInteraction  # noqa: E741 - a table alias, as in SQL
    last = (
        select(I.customer_id, func.max(I.occurred_at).label("last_interaction_at"))
        .where(I.customer_id.in_(customer_ids), I.status != InteractionStatus.CANCELLED)
        .group_by(I.customer_id)
        .subquery("last")
    )
    e = CustomerEngagementScore
    rows = (
        await session.execute(
            select(
                e.customer_id, e.score, e.level, e.inputs, e.computed_at, last.c.last_interaction_at
            )
            .outerjoin(last, last.c.customer_id == e.customer_id)
            .where(e.customer_id.in_(customer_ids))
        )
    ).all()
    by_id = {row.customer_id: row for row in rows}
    return [by_id.get(i) for i in customer_ids]


async def relationship_scores_by_customer_ids(
    session: AsyncSession, customer_ids: Sequence[int]
) -> list[Any | None]:
    """The stored relationship score of each customer, aligned with the ids."""
    r = CustomerRelationshipScore
    rows = (
        await session.execute(
            select(r.customer_id, r.score, r.grade, r.components, r.computed_at).where(
                r.customer_id.in_(customer_ids)
            )
        )
    ).all()
    by_id = {row.customer_id: row for row in rows}
    return [by_id.get(i) for i in customer_ids]
