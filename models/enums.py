"""The closed vocabularies of the domain, shared by tables, rules and the API."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    ADMIN = "ADMIN"
    MANAGER = "MANAGER"
    SALES = "SALES"
    VIEWER = "VIEWER"


class BusinessType(enum.StrEnum):
    INDIVIDUAL = "INDIVIDUAL"
    SMALL_BUSINESS = "SMALL_BUSINESS"
    ENTERPRISE = "ENTERPRISE"
    GOVERNMENT = "GOVERNMENT"


class CustomerStatus(enum.StrEnum):
    PROSPECT = "PROSPECT"
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


class QuotationStatus(enum.StrEnum):
    DRAFT = "DRAFT"
    SENT = "SENT"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"


class OrderStatus(enum.StrEnum):
    CONFIRMED = "CONFIRMED"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"


class PaymentMethod(enum.StrEnum):
    BANK_TRANSFER = "BANK_TRANSFER"
    UPI = "UPI"
    CHEQUE = "CHEQUE"
    CARD = "CARD"
    CASH = "CASH"


class InteractionKind(enum.StrEnum):
    EMAIL = "EMAIL"
    CALL = "CALL"
    MEETING = "MEETING"
    NOTE = "NOTE"
    FOLLOW_UP = "FOLLOW_UP"


class Priority(enum.StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    URGENT = "URGENT"


class InteractionStatus(enum.StrEnum):
    PENDING = "PENDING"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class TaskStatus(enum.StrEnum):
    OPEN = "OPEN"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class TaskSource(enum.StrEnum):
    MANUAL = "MANUAL"
    INTERACTION = "INTERACTION"
    QUOTATION = "QUOTATION"
    CREDIT = "CREDIT"


class SegmentKind(enum.StrEnum):
    BUSINESS_TYPE = "BUSINESS_TYPE"
    VOLUME = "VOLUME"
    LOCATION = "LOCATION"
    ENGAGEMENT = "ENGAGEMENT"
    CUSTOM = "CUSTOM"


class MembershipSource(enum.StrEnum):
    AUTO = "AUTO"
    MANUAL = "MANUAL"


class RuleMatch(enum.StrEnum):
    ALL = "ALL"
    ANY = "ANY"


class EngagementLevel(enum.StrEnum):
    HIGHLY_ENGAGED = "HIGHLY_ENGAGED"
    MODERATELY_ENGAGED = "MODERATELY_ENGAGED"
    LOW_ENGAGEMENT = "LOW_ENGAGEMENT"


class RiskLevel(enum.StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


class JobStatus(enum.StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class ImportAction(enum.StrEnum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
