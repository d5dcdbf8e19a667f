"""Customer-list conditions on stored lifetime values (customers never scored never match)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, exists

from models import Customer
from models.enums import RiskLevel
from models.scoring import CustomerLifetimeValue


def lifetime_value_conditions(
    *,
    risk_levels: Sequence[RiskLevel] = (),
    min_predicted_value: Decimal | None = None,
    max_predicted_value: Decimal | None = None,
) -> list[ColumnElement[bool]]:
    """One ``EXISTS`` on ``customer_lifetime_values`` holding every given bound."""
    clauses: list[ColumnElement[bool]] = []
    if risk_levels:
        clauses.append(CustomerLifetimeValue.risk_level.in_(list(risk_levels)))
    if min_predicted_value is not None:
        clauses.append(CustomerLifetimeValue.predicted_value >= min_predicted_value)
    if max_predicted_value is not None:
        clauses.append(CustomerLifetimeValue.predicted_value <= max_predicted_value)
    if not clauses:
        return []
    return [exists().where(CustomerLifetimeValue.customer_id == Customer.id, and_(*clauses))]
