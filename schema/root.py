"""The schema: root types assembled from one class per domain area."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import AddValidationRules
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from schema.credit import CreditMutations, CreditQueries, CreditSubscriptions
from schema.customers import CustomerMutations, CustomerQueries
from schema.errors import MaskUnexpectedErrors, log_unexpected
from schema.input_safety import NoNulInStrings
from schema.jobs import JobQueries, JobSubscriptions
from schema.products import ProductQueries
from schema.sales import SalesMutations, SalesQueries
from schema.scalars import SCALAR_OVERRIDES
from schema.users import AuthMutations, UserQueries


@strawberry.type(description="Everything that can be read.")
class Query(CustomerQueries, SalesQueries, ProductQueries, UserQueries, JobQueries, CreditQueries):
    pass


@strawberry.type(description="Everything that can be changed.")
class Mutation(AuthMutations, CustomerMutations, SalesMutations, CreditMutations):
    pass


@strawberry.type(description="Live streams over WebSocket (graphql-transport-ws).")
class Subscription(JobSubscriptions, CreditSubscriptions):
    pass


class CrmSchema(strawberry.Schema):
    """Logs only unexpected errors (with the request id); expected ones are the client's."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_unexpected(errors, execution_context.context if execution_context else None)


def build_schema(**kwargs: Any) -> strawberry.Schema:
    return CrmSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        scalar_overrides=SCALAR_OVERRIDES,
        extensions=[MaskUnexpectedErrors, lambda: AddValidationRules([NoNulInStrings])],
        config=StrawberryConfig(**kwargs),
    )


schema = build_schema()
