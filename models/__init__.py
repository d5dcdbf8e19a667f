"""SQLAlchemy tables of Sanvi CRM: one module per aggregate, no queries, no rules."""

from models.api_key import ApiKey
from models.audit import AuditLogEntry, AuditLogTarget, AuditOutcome
from models.base import Base, Money, Percent, UTCDateTime
from models.clv import ClvModelFit
from models.counter import Counter
from models.credit import CreditAlertEvent, CreditLimitHistory, CreditOverrideEvent
from models.customer import Customer, CustomerTag
from models.customer_import import CustomerImportChange, ImportRowError
from models.interaction import CustomerInteraction, InteractionAttachment
from models.job import Job, PeriodicTaskRun
from models.order import Order, OrderLine, OrderStatusChange, Payment
from models.pricing import SegmentPricingRule
from models.product import Product
from models.quotation import Quotation, QuotationLine, QuotationStatusChange
from models.scoring import (
    CustomerEngagementScore,
    CustomerLifetimeValue,
    CustomerRelationshipScore,
)
from models.segment import CustomerSegment, CustomerSegmentationRule, CustomerSegmentMembership
from models.task import FollowUpTask
from models.user import User

__all__ = [
    "ApiKey",
    "AuditLogEntry",
    "AuditLogTarget",
    "AuditOutcome",
    "Base",
    "ClvModelFit",
    "Counter",
    "CreditAlertEvent",
    "CreditLimitHistory",
    "CreditOverrideEvent",
    "Customer",
    "CustomerEngagementScore",
    "CustomerImportChange",
    "CustomerInteraction",
    "CustomerLifetimeValue",
    "CustomerRelationshipScore",
    "CustomerSegment",
    "CustomerSegmentMembership",
    "CustomerSegmentationRule",
    "CustomerTag",
    "FollowUpTask",
    "ImportRowError",
    "InteractionAttachment",
    "Job",
    "Money",
    "Order",
    "OrderLine",
    "OrderStatusChange",
    "Payment",
    "Percent",
    "PeriodicTaskRun",
    "Product",
    "Quotation",
    "QuotationLine",
    "QuotationStatusChange",
    "SegmentPricingRule",
    "UTCDateTime",
    "User",
]
