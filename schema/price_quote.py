"""The price quote: what a customer would pay for some lines today, without saving."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers.errors import NotFound
from resolvers.pricing import LineRequest, quote_prices
from resolvers.roles import Action
from schema.errors import BadUserInput
from schema.operations import decode_id, read
from schema.permissions import allowed
from schema.sales import PricedLine


@strawberry.input(description="A product and how many, to be priced.")
class PriceQuoteItemInput:
    product_id: strawberry.ID
    quantity: int


@strawberry.type(description="Lines priced for a customer today, as a quotation would be.")
class PriceQuote:
    total: Decimal = strawberry.field(description="The sum of the rounded line totals.")
    lines: list[PricedLine]


def _requests(items: list[PriceQuoteItemInput]) -> list[LineRequest]:
    return [
        LineRequest(
            product_id=decode_id(item.product_id, field=f"items.{i}.productId"),
            quantity=item.quantity,
        )
        for i, item in enumerate(items)
    ]


@strawberry.type
class PriceQuoteQueries:
    @strawberry.field(
        description="Price lines for a customer with today's segment pricing rules (the same "
        "pricing createQuotation and createOrder apply); nothing is saved.",
        permission_classes=[allowed(Action.READ)],
    )
    async def price_quote(
        self, info: Info, customer_id: strawberry.ID, items: list[PriceQuoteItemInput]
    ) -> PriceQuote:
        try:
            pk, lines = decode_id(customer_id, field="customerId"), _requests(items)
        except NotFound as exc:
            raise BadUserInput(exc) from exc
        priced: Any = await read(
            info, quote_prices, customer_id=pk, lines=lines, on=info.context.config.today()
        )
        return PriceQuote(total=priced.total, lines=[PricedLine.from_row(p) for p in priced.lines])
