"""The domain's enums as GraphQL enums (values are the same strings)."""

from __future__ import annotations

import enum

import strawberry

from models import enums
from resolvers.credit import CreditLevel as _CreditLevel
from resolvers.customer_queries import CustomerSortField as _CustomerSortField

Role = strawberry.enum(enums.Role, description="What a user may do (see the role table).")
BusinessType = strawberry.enum(enums.BusinessType, description="The kind of customer.")
CustomerStatus = strawberry.enum(enums.CustomerStatus, description="Where a customer stands.")
QuotationStatus = strawberry.enum(
    enums.QuotationStatus, description="DRAFT → SENT → ACCEPTED / REJECTED / EXPIRED."
)
OrderStatus = strawberry.enum(
    enums.OrderStatus, description="CONFIRMED → SHIPPED → DELIVERED; CANCELLED before delivery."
)
PaymentMethod = strawberry.enum(enums.PaymentMethod, description="How a payment was made.")
SegmentKind = strawberry.enum(enums.SegmentKind, description="What a segment groups by.")
CreditLevel = strawberry.enum(
    _CreditLevel,
    description="NO_LIMIT (null limit), OK, WARNING ≥ 75 %, CRITICAL ≥ 90 %, EXCEEDED > 100 %.",
)
JobStatus = strawberry.enum(enums.JobStatus, description="QUEUED → RUNNING → SUCCEEDED / FAILED.")
CustomerSortField = strawberry.enum(_CustomerSortField, description="Customer list sort keys.")


@strawberry.enum(description="Sort direction.")
class SortDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"
