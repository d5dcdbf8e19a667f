"""The product catalogue, for pickers and pricing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Product
from resolvers.pagination import Page, SortKey, fetch_page
from resolvers.rows import rows_by_ids
from resolvers.search import LIKE_ESCAPE, contains_pattern, normalise_query

_KEY = SortKey(columns=[Product.name, Product.id], parsers=[str, int])


def _conditions(search: str | None, category: str | None, active_only: bool) -> list[Any]:
    conditions: list[Any] = []
    if search and search.strip():
        for word in normalise_query(search).split(" "):
            pattern = contains_pattern(word)
            conditions.append(
                or_(
                    func.lower(Product.name).like(pattern, escape=LIKE_ESCAPE),
                    func.lower(Product.sku).like(pattern, escape=LIKE_ESCAPE),
                )
            )
    if category:
        conditions.append(Product.category == category)
    if active_only:
        conditions.append(Product.active.is_(True))
    return conditions


async def list_products(
    session: AsyncSession,
    *,
    search: str | None,
    category: str | None,
    active_only: bool,
    first: int,
    after: str | None,
) -> Page[Row[Any]]:
    query = select(*Product.__table__.c).where(and_(*_conditions(search, category, active_only)))
    return await fetch_page(
        session, query, key=_KEY, key_names=["name", "id"], first=first, after=after
    )


async def count_products(
    session: AsyncSession, *, search: str | None, category: str | None, active_only: bool
) -> int:
    query = select(func.count()).select_from(Product)
    query = query.where(and_(*_conditions(search, category, active_only)))
    return int(await session.scalar(query) or 0)


async def products_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Row[Any] | None]:
    return await rows_by_ids(session, Product, ids)
