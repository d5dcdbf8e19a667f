"""A customer filter as JSON and back, because a queued job's options are stored as JSON.

The job may run minutes later in another process: everything the filter means, the
credit thresholds in force when it was asked included, travels with it, and
``filter_from_json(filter_to_json(f)) == f`` for every filter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from models.enums import BusinessType, CustomerStatus, EngagementLevel, RiskLevel
from resolvers.config import CreditThresholds
from resolvers.credit import CreditLevel
from resolvers.customer_queries import CustomerFilter
from resolvers.segment_defaults import VolumeTier


def _enums(kind: type) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    return (lambda values: [v.value for v in values]), (
        lambda values: tuple(kind(v) for v in values)
    )


def _optional(
    dump: Callable[[Any], Any], load: Callable[[Any], Any]
) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    return (lambda v: None if v is None else dump(v)), (lambda v: None if v is None else load(v))


_PLAIN = (lambda v: v, lambda v: v)
_LIST = (list, tuple)
_DATETIME = _optional(dt.datetime.isoformat, dt.datetime.fromisoformat)
_DECIMAL = _optional(str, Decimal)
_THRESHOLDS = (
    lambda t: {"warning": str(t.warning_percent), "critical": str(t.critical_percent)},
    lambda v: CreditThresholds(
        warning_percent=Decimal(v["warning"]), critical_percent=Decimal(v["critical"])
    ),
)

# Field of CustomerFilter → (to JSON, from JSON). A new filter field must be added here;
# the round-trip test fails until it is.
_FIELDS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "search": _PLAIN,
    "business_types": _enums(BusinessType),
    "statuses": _enums(CustomerStatus),
    "states": _LIST,
    "owner_ids": _LIST,
    "tags": _LIST,
    "all_tags": _PLAIN,
    "created_from": _DATETIME,
    "created_to": _DATETIME,
    "ids": _LIST,
    "segment_ids": _LIST,
    "volume_tiers": _enums(VolumeTier),
    "engagement_levels": _enums(EngagementLevel),
    "credit_levels": _enums(CreditLevel),
    "credit_thresholds": _THRESHOLDS,
    "risk_levels": _enums(RiskLevel),
    "min_predicted_value": _DECIMAL,
    "max_predicted_value": _DECIMAL,
}


def filter_to_json(flt: CustomerFilter | None) -> dict[str, Any] | None:
    if flt is None:
        return None
    return {name: dump(getattr(flt, name)) for name, (dump, _) in _FIELDS.items()}


def filter_from_json(data: dict[str, Any] | None) -> CustomerFilter | None:
    if data is None:
        return None
    return CustomerFilter(**{name: load(data[name]) for name, (_, load) in _FIELDS.items()})
