"""The domain's enums as GraphQL enums (values are the same strings)."""

from __future__ import annotations

import enum

import strawberry

from models import enums
from resolvers.credit import CreditLevel as _CreditLevel
from resolvers.customer_queries import CustomerSortField as _CustomerSortField
from resolvers.segment_conditions import Operator as _ConditionOperator
from resolvers.segment_defaults import VolumeTier as _VolumeTier

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
VolumeTier = strawberry.enum(
    _VolumeTier, description="Trailing-12-month revenue tier (the VOLUME segments)."
)
EngagementLevel = strawberry.enum(
    enums.EngagementLevel, description="Engagement level (the ENGAGEMENT segments)."
)
RuleMatch = strawberry.enum(
    enums.RuleMatch, description="ALL: every condition must hold; ANY: at least one."
)
ConditionOperator = strawberry.enum(
    _ConditionOperator, description="How a rule condition compares a field with its value(s)."
)

InteractionKind = strawberry.enum(
    enums.InteractionKind, description="What kind of contact an interaction was."
)
InteractionStatus = strawberry.enum(
    enums.InteractionStatus,
    description="PENDING → COMPLETED or PENDING → CANCELLED; COMPLETED and CANCELLED are final.",
)
Priority = strawberry.enum(enums.Priority, description="LOW, MEDIUM, HIGH or URGENT.")
TaskStatus = strawberry.enum(enums.TaskStatus, description="OPEN → COMPLETED or CANCELLED.")
TaskSource = strawberry.enum(
    enums.TaskSource,
    description="What opened a task: a person (MANUAL), an interaction, a quotation left "
    "unanswered, or a credit alert.",
)


@strawberry.enum(description="Sort direction.")
class SortDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"
