"""Reading quotations and orders: by id, per customer, and their children in batches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Order,
    OrderLine,
    OrderStatusChange,
    Payment,
    Quotation,
    QuotationLine,
    QuotationStatusChange,
)
from resolvers.documents import rows_by_parent_ids
from resolvers.pagination import Page, SortKey, fetch_page, parse_datetime
from resolvers.rows import rows_by_ids


async def quotations_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Row[Any] | None]:
    return await rows_by_ids(session, Quotation, ids)


async def orders_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Row[Any] | None]:
    return await rows_by_ids(session, Order, ids)


async def payments_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Row[Any] | None]:
    return await rows_by_ids(session, Payment, ids)


async def quotation_lines(session: AsyncSession, ids: Sequence[int]) -> list[list[Row[Any]]]:
    return await rows_by_parent_ids(session, QuotationLine, "quotation_id", ids, "position")


async def order_lines(session: AsyncSession, ids: Sequence[int]) -> list[list[Row[Any]]]:
    return await rows_by_parent_ids(session, OrderLine, "order_id", ids, "position")


async def quotation_status_changes(
    session: AsyncSession, ids: Sequence[int]
) -> list[list[Row[Any]]]:
    return await rows_by_parent_ids(
        session, QuotationStatusChange, "quotation_id", ids, "changed_at"
    )


async def order_status_changes(session: AsyncSession, ids: Sequence[int]) -> list[list[Row[Any]]]:
    return await rows_by_parent_ids(session, OrderStatusChange, "order_id", ids, "changed_at")


async def order_payments(session: AsyncSession, ids: Sequence[int]) -> list[list[Row[Any]]]:
    return await rows_by_parent_ids(session, Payment, "order_id", ids, "paid_at")


async def customer_documents(
    session: AsyncSession,
    model: Any,
    *,
    customer_id: int,
    first: int,
    after: str | None,
) -> Page[Row[Any]]:
    """A customer's quotations or orders, newest first."""
    key = SortKey(
        columns=[model.created_at, model.id], parsers=[parse_datetime, int], descending=True
    )
    query = select(*model.__table__.c).where(model.customer_id == customer_id)
    return await fetch_page(
        session, query, key=key, key_names=["created_at", "id"], first=first, after=after
    )
