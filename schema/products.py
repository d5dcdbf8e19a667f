"""The product picker."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import products as product_domain
from resolvers.roles import Action
from schema.connections import Connection, connection, counted_by, page_size
from schema.operations import read
from schema.permissions import allowed


@strawberry.type(description="Something the business sells: a machine, a part, a service.")
class Product:
    id: strawberry.ID
    sku: str
    name: str
    category: str
    description: str | None
    list_price: Decimal
    active: bool
    created_at: dt.datetime

    @classmethod
    def from_row(cls, row: Any) -> Product:
        return cls(
            id=strawberry.ID(str(row.id)),
            sku=row.sku,
            name=row.name,
            category=row.category,
            description=row.description,
            list_price=row.list_price,
            active=row.active,
            created_at=row.created_at,
        )


async def load_product(info: Info, product_id: int) -> Product | None:
    row = await info.context.loaders.product_by_id.load(product_id)
    return Product.from_row(row) if row else None


@strawberry.type
class ProductQueries:
    @strawberry.field(
        description="Products by name or SKU, optionally in one category, by name.",
        permission_classes=[allowed(Action.READ)],
    )
    async def products(
        self,
        info: Info,
        search: str | None = None,
        category: str | None = None,
        include_inactive: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Product]:
        filters = {"search": search, "category": category, "active_only": not include_inactive}
        page = await read(
            info, product_domain.list_products, **filters, first=page_size(info, first), after=after
        )
        count = counted_by(info.context.db.read_session, product_domain.count_products, **filters)
        return connection(page, Product.from_row, count)
