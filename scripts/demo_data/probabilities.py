"""The tables that shape the data set: who the customers are and how each kind behaves.

Figures that differ by business type (rows in ``BUSINESS_TYPES`` order) or that weight a
choice live here, so the data set can be retuned without reading the generators; one-off
figures stay beside the code that uses them. Enum tuples sit next to their weights because
generators draw an index and map it through them.
"""

from __future__ import annotations

import numpy as np

from models.enums import (
    BusinessType,
    CustomerStatus,
    InteractionKind,
    PaymentMethod,
    Priority,
)

BUSINESS_TYPES = (
    BusinessType.INDIVIDUAL,
    BusinessType.SMALL_BUSINESS,
    BusinessType.ENTERPRISE,
    BusinessType.GOVERNMENT,
)
IND, SB, ENT, GOV = range(4)
TYPE_P = (0.15, 0.62, 0.13, 0.10)
ACTIVE, PROSPECT, INACTIVE = range(3)
STATUSES = (CustomerStatus.ACTIVE, CustomerStatus.PROSPECT, CustomerStatus.INACTIVE)

TAGS = ("key-account", "export", "msme", "priority", "dealer", "new-plant")
# P(tag) per business type; rows are types in BUSINESS_TYPES order.
TAG_P = np.array(
    [
        [0.02, 0.01, 0.05, 0.05, 0.03, 0.01],
        [0.04, 0.08, 0.40, 0.05, 0.07, 0.04],
        [0.35, 0.18, 0.00, 0.10, 0.02, 0.08],
        [0.20, 0.00, 0.00, 0.08, 0.00, 0.03],
    ]
)
# Credit limits in rupees per type, and the share of customers without a limit (None).
CREDIT_CHOICES = (
    (25_000, 50_000, 75_000, 100_000, 150_000, 200_000, 300_000, 500_000),
    (100_000, 200_000, 300_000, 500_000, 750_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000,
     5_000_000),
    (2_500_000, 5_000_000, 7_500_000, 10_000_000, 15_000_000, 20_000_000, 50_000_000),
    (1_000_000, 2_500_000, 5_000_000, 10_000_000),
)  # fmt: skip
CREDIT_NONE_P = np.array([0.25, 0.15, 0.20, 0.60])
# Utilisation bands for customers who owe money: comfortable, WARNING, CRITICAL, EXCEEDED.
UTILISATION_P = (0.80, 0.08, 0.06, 0.06)
UTILISATION_LOW = np.array([0.10, 0.76, 0.91, 1.05])
UTILISATION_HIGH = np.array([0.75, 0.90, 1.00, 1.60])
CREDIT_ZERO_P = np.array([0.20, 0.07, 0.02, 0.05])

# Relative activity per business type: quotations, orders, interactions.
MULT_Q = np.array([0.6, 1.0, 1.8, 1.6])
MULT_O = np.array([0.35, 1.0, 2.2, 1.3])
MULT_I = np.array([0.6, 1.0, 1.7, 1.2])
ACCEPT_P = np.array([0.35, 0.38, 0.45, 0.40])
REJECT_P = 0.25
CONVERT_P = 0.85

# Share of each catalogue category (columns in catalogue.CATEGORIES order) per type.
CATEGORY_P = np.array(
    [
        [0.00, 0.04, 0.08, 0.38, 0.45, 0.05],
        [0.03, 0.08, 0.10, 0.17, 0.45, 0.17],
        [0.10, 0.06, 0.10, 0.09, 0.42, 0.23],
        [0.03, 0.07, 0.08, 0.32, 0.32, 0.18],
    ]
)
# Quantity per line: geometric(p) capped, per category.
QTY_P = np.array([0.92, 0.85, 0.85, 0.55, 0.12, 0.90])
QTY_MAX = np.array([3, 4, 4, 10, 60, 3])
DISCOUNTS = ("0", "2.5", "5", "7.5", "10")
DISCOUNT_P = np.array(
    [
        [0.90, 0.05, 0.05, 0.00, 0.00],
        [0.80, 0.07, 0.08, 0.03, 0.02],
        [0.62, 0.10, 0.14, 0.09, 0.05],
        [0.78, 0.04, 0.10, 0.04, 0.04],
    ]
)

# Interactions: kinds in InteractionKind order with their weights.
KINDS = (
    InteractionKind.EMAIL,
    InteractionKind.CALL,
    InteractionKind.MEETING,
    InteractionKind.NOTE,
    InteractionKind.FOLLOW_UP,
)
KIND_P = (0.30, 0.35, 0.15, 0.10, 0.10)
EMAIL, CALL, MEETING, NOTE, FOLLOW_UP = range(5)

PAY_METHODS = (
    PaymentMethod.BANK_TRANSFER,
    PaymentMethod.UPI,
    PaymentMethod.CHEQUE,
    PaymentMethod.CARD,
    PaymentMethod.CASH,
)
PAY_METHOD_P = (0.50, 0.22, 0.18, 0.06, 0.04)
# Largest amount per method: UPI 1 lakh, card 5 lakh, cash below 2 lakh (Income-tax Act
# s. 269ST); bank transfers and cheques are unlimited.
METHOD_LIMIT_PAISE = np.array([2**62, 100_000_00, 2**62, 500_000_00, 199_999_99])
PRIORITIES = (Priority.LOW, Priority.MEDIUM, Priority.HIGH, Priority.URGENT)
