"""The figures on an XLSX export's summary sheet: customers and value per business type
and per segment, summed batch by batch (a few dozen groups, whatever the export's size).

Value is the sum of the totals of each exported customer's orders that are not
cancelled, over all time (the lifetime revenue, as ``LifetimeValue.totalRevenue``). A
customer counts once per business type and once in each segment it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from resolvers.export_rows import ExportBatch
from resolvers.money import ZERO

VALUE_DEFINITION = (
    "Value = sum of the totals of the customers' orders that are not cancelled, all time."
)


@dataclass
class Group:
    customers: int = 0
    value: Decimal = ZERO

    def add(self, customers: int, value: Decimal) -> None:
        self.customers += customers
        self.value += value


@dataclass
class ExportSummary:
    customers: int = 0
    value: Decimal = ZERO
    by_business_type: dict[str, Group] = field(default_factory=dict)
    by_segment: dict[tuple[str, str], Group] = field(default_factory=dict)  # (kind, name)

    def add(self, batch: ExportBatch) -> None:
        # Customers share a few hundred (business type, segments) combinations: sum per
        # combination first, then spread each sum over its type and segments.
        revenue = batch.revenue or [ZERO] * batch.size
        labels = batch.segments or [()] * batch.size
        combined: dict[tuple[str, Any], list[Any]] = {}
        for key, value in zip(zip(batch.business_types, labels, strict=True), revenue, strict=True):
            sums = combined.get(key)
            if sums is None:
                combined[key] = [1, value]
            else:
                sums[0] += 1
                sums[1] += value
        for (business_type, segments), (customers, value) in combined.items():
            self.customers += customers
            self.value += value
            self.by_business_type.setdefault(business_type, Group()).add(customers, value)
            for segment in segments:
                self.by_segment.setdefault(segment, Group()).add(customers, value)


def label(value: str) -> str:
    """``SMALL_BUSINESS`` → ``Small Business``, for people reading the sheet."""
    return value.replace("_", " ").title()
