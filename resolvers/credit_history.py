"""Reading the credit-limit history of a customer, newest first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CreditLimitHistory
from resolvers.pagination import Page, SortKey, fetch_page, parse_datetime

_KEY = SortKey(
    columns=[CreditLimitHistory.changed_at, CreditLimitHistory.id],
    parsers=[parse_datetime, int],
    descending=True,
)


async def credit_history(
    session: AsyncSession, *, customer_id: int, first: int, after: str | None
) -> Page[Row[Any]]:
    query = select(*CreditLimitHistory.__table__.c).where(
        CreditLimitHistory.customer_id == customer_id
    )
    return await fetch_page(
        session, query, key=_KEY, key_names=["changed_at", "id"], first=first, after=after
    )


async def count_credit_history(session: AsyncSession, *, customer_id: int) -> int:
    query = select(func.count()).where(CreditLimitHistory.customer_id == customer_id)
    return int(await session.scalar(query) or 0)
