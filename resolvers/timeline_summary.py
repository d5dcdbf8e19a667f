"""The one-line, human summary of a timeline event ("Payment of ₹50,000.00 received by UPI")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from resolvers.money import round_money
from resolvers.timeline_sources import KIND_BY_RANK, TimelineKind

_METHODS = {
    "BANK_TRANSFER": "bank transfer",
    "UPI": "UPI",
    "CHEQUE": "cheque",
    "CARD": "card",
    "CASH": "cash",
}
_QUOTATION_VERBS = {"SENT": "sent", "ACCEPTED": "accepted", "REJECTED": "rejected"}
_ORDER_VERBS = {"SHIPPED": "shipped", "DELIVERED": "delivered", "CANCELLED": "cancelled"}


def rupees(amount: Decimal | None) -> str:
    """Indian digit grouping: ₹1,25,000.00 (thousands, then lakhs and crores by twos)."""
    if amount is None:
        return "no limit"
    value = round_money(amount)
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):.2f}".split(".")
    head, tail = whole[:-3], whole[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return f"{sign}₹{','.join([*groups, tail])}.{cents}"


def _status_word(status: str | None, verbs: dict[str, str]) -> str:
    return verbs.get(status or "", (status or "changed").lower())


def _interaction(row: Any) -> str:
    return f"{(row.detail or 'Interaction').replace('_', '-').capitalize()}: {row.label}"


def _quotation(row: Any) -> str:
    return f"Quotation {row.label} created ({rupees(row.amount)})"


def _quotation_status(row: Any) -> str:
    verb = _status_word(row.detail, _QUOTATION_VERBS)
    return f"Quotation {row.label} {verb} ({rupees(row.amount)})"


def _order(row: Any) -> str:
    return f"Order {row.label} placed ({rupees(row.amount)})"


def _order_status(row: Any) -> str:
    return f"Order {row.label} {_status_word(row.detail, _ORDER_VERBS)}"


def _payment(row: Any) -> str:
    method = _METHODS.get(row.detail or "", (row.detail or "").lower())
    return f"Payment of {rupees(row.amount)} received by {method}"


def _credit_limit(row: Any) -> str:
    change = f"Credit limit changed from {rupees(row.amount2)} to {rupees(row.amount)}"
    return f"{change}: {row.label}" if row.label else change


def credit_alert_summary(
    previous_level: str, level: str, outstanding: Decimal, limit: Decimal | None
) -> str:
    """Shared with the live credit-alert feed, which sends the same event."""
    against = "no limit" if limit is None else f"a limit of {rupees(limit)}"
    return (
        f"Credit level rose from {previous_level} to {level}: "
        f"{rupees(outstanding)} outstanding against {against}"
    )


def _credit_alert(row: Any) -> str:
    return credit_alert_summary(row.extra, row.detail, row.amount, row.amount2)


def _credit_override(row: Any) -> str:
    return f"Credit block overridden for an order of {rupees(row.amount)}: {row.label}"


def _task(row: Any) -> str:
    if row.variant:
        outcome = f" ({row.extra})" if row.extra else ""
        return f"Task completed: {row.label}{outcome}"
    return f"Task created: {row.label}"


_SUMMARIES = {
    TimelineKind.INTERACTION: _interaction,
    TimelineKind.QUOTATION: _quotation,
    TimelineKind.QUOTATION_STATUS: _quotation_status,
    TimelineKind.ORDER: _order,
    TimelineKind.ORDER_STATUS: _order_status,
    TimelineKind.PAYMENT: _payment,
    TimelineKind.CREDIT_LIMIT: _credit_limit,
    TimelineKind.CREDIT_ALERT: _credit_alert,
    TimelineKind.CREDIT_OVERRIDE: _credit_override,
    TimelineKind.TASK: _task,
}


def summary(row: Any) -> str:
    """The sentence for one row of the timeline union (see ``timeline_sources``)."""
    return _SUMMARIES[KIND_BY_RANK[row.kind_rank]](row)
