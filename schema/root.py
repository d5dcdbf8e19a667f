"""The schema: root types assembled from one class per domain area."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import AddValidationRules
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from schema.api_keys import ApiKeyMutations, ApiKeyQueries
from schema.audit import AuditLogQueries
from schema.audit_hook import AuditMutations
from schema.clv import ClvMutations, ClvQueries
from schema.credit import CreditMutations, CreditQueries, CreditSubscriptions
from schema.crm_analytics import CrmAnalyticsQueries
from schema.customers import CustomerMutations, CustomerQueries
from schema.errors import MaskUnexpectedErrors, log_unexpected
from schema.exports import ExportMutations, ExportQueries
from schema.imports import ImportMutations, ImportQueries
from schema.input_safety import NoNulInStrings
from schema.interactions import InteractionMutations
from schema.jobs import JobQueries, JobSubscriptions
from schema.limits import RequestLimits
from schema.operation_names import RecordOperationNames
from schema.price_quote import PriceQuoteQueries
from schema.pricing import PricingMutations
from schema.products import ProductQueries
from schema.sales import SalesMutations, SalesQueries
from schema.scalars import SCALAR_OVERRIDES
from schema.segment_analytics import SegmentAnalyticsQueries
from schema.segmentation import SegmentationMutations, SegmentationQueries
from schema.segments import SegmentMutations, SegmentQueries
from schema.tasks import TaskMutations, TaskQueries, TaskSubscriptions
from schema.timeline import EVENT_TYPES as TIMELINE_EVENT_TYPES
from schema.user_admin import UserAdminMutations
from schema.users import AuthMutations, UserQueries


@strawberry.type(description="Everything that can be read.")
class Query(
    CustomerQueries,
    SalesQueries,
    ProductQueries,
    UserQueries,
    JobQueries,
    CreditQueries,
    SegmentQueries,
    SegmentationQueries,
    SegmentAnalyticsQueries,
    PriceQuoteQueries,
    TaskQueries,
    ClvQueries,
    CrmAnalyticsQueries,
    ImportQueries,
    ExportQueries,
    ApiKeyQueries,
    AuditLogQueries,
):
    pass


@strawberry.type(description="Everything that can be changed.")
class Mutation(
    AuthMutations,
    CustomerMutations,
    SalesMutations,
    CreditMutations,
    SegmentMutations,
    SegmentationMutations,
    PricingMutations,
    InteractionMutations,
    TaskMutations,
    ClvMutations,
    ImportMutations,
    ExportMutations,
    UserAdminMutations,
    ApiKeyMutations,
):
    pass


@strawberry.type(description="Live streams over WebSocket (graphql-transport-ws).")
class Subscription(JobSubscriptions, CreditSubscriptions, TaskSubscriptions):
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
        types=TIMELINE_EVENT_TYPES,  # reached only through the TimelineEvent interface
        extensions=[
            RequestLimits,
            MaskUnexpectedErrors,
            AuditMutations,  # every mutation call, refused ones too, into the audit log
            RecordOperationNames,  # for the request's log line
            lambda: AddValidationRules([NoNulInStrings]),
        ],
        config=StrawberryConfig(**kwargs),
    )


schema = build_schema()
