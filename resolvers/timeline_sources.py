"""The sources of a customer's timeline: one select per kind of event, all of one shape.

Every source yields the same columns, so the timeline is a ``UNION ALL`` of them:

* ``kind_rank``, ``source_id``, ``variant`` and ``occurred_at`` identify and order an
  event. ``variant`` tells apart the two events one task row gives (created = 0,
  completed = 1); it is 0 everywhere else.
* ``customer_id``, ``actor_id`` (the user behind the event) and ``document_id`` (the
  quotation or order an event is about, where there is one).
* ``label``, ``detail``, ``extra``, ``amount`` and ``amount2``: what the summary sentence
  and the event's own fields are made of (see ``SOURCES`` for what each kind puts there).

Each source reads its table through an index on ``(customer_id, <its timestamp>)``; the
status histories have no customer column and are reached through their document's
``(customer_id, …)`` index and their own ``(<document>_id)`` index.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, String, cast, literal_column, null, select
from sqlalchemy.sql.expression import type_coerce

from models import (
    CreditAlertEvent,
    CreditLimitHistory,
    CreditOverrideEvent,
    CustomerInteraction,
    FollowUpTask,
    Money,
    Order,
    OrderStatusChange,
    Payment,
    Quotation,
    QuotationStatusChange,
    UTCDateTime,
)
from models.enums import TaskStatus


class TimelineKind(enum.StrEnum):
    INTERACTION = "INTERACTION"
    QUOTATION = "QUOTATION"
    QUOTATION_STATUS = "QUOTATION_STATUS"
    ORDER = "ORDER"
    ORDER_STATUS = "ORDER_STATUS"
    PAYMENT = "PAYMENT"
    CREDIT_LIMIT = "CREDIT_LIMIT"
    CREDIT_ALERT = "CREDIT_ALERT"
    CREDIT_OVERRIDE = "CREDIT_OVERRIDE"
    TASK = "TASK"

    @property
    def rank(self) -> int:
        """Ties on the timestamp are broken by kind, in reverse alphabetical order (as
        ``kind DESC`` would sort them in a byte-wise collation): an integer, so the order
        never depends on a database collation."""
        return _RANKS[self]


_RANKS = {kind: i for i, kind in enumerate(sorted(TimelineKind, key=lambda k: k.value))}
KIND_BY_RANK = {rank: kind for kind, rank in _RANKS.items()}


class TaskAction(enum.StrEnum):
    CREATED = "CREATED"
    COMPLETED = "COMPLETED"


@dataclass(frozen=True)
class Source:
    """One branch of the union: the rows of one table, one kind (and variant) of event."""

    kind: TimelineKind
    variant: int
    occurred_at: Any
    source_id: Any
    customer_id: Any
    build: Callable[[], Select[Any]]


def _int(value: Any = None) -> ColumnElement[Any]:
    return cast(null(), Integer) if value is None else type_coerce(value, Integer)


def _str(value: Any = None) -> ColumnElement[Any]:
    return cast(null(), String) if value is None else type_coerce(value, String)


def _money(value: Any = None) -> ColumnElement[Any]:
    return cast(null(), Money) if value is None else type_coerce(value, Money)


def _row(
    kind: TimelineKind,
    *,
    variant: int = 0,
    source_id: Any,
    occurred_at: Any,
    customer_id: Any,
    actor_id: Any = None,
    document_id: Any = None,
    label: Any = None,
    detail: Any = None,
    extra: Any = None,
    amount: Any = None,
    amount2: Any = None,
) -> list[ColumnElement[Any]]:
    """The columns of one source, in the union's order and with the union's types."""
    return [
        literal_column(str(kind.rank), Integer).label("kind_rank"),
        type_coerce(source_id, Integer).label("source_id"),
        literal_column(str(variant), Integer).label("variant"),
        type_coerce(occurred_at, UTCDateTime).label("occurred_at"),
        type_coerce(customer_id, Integer).label("customer_id"),
        _int(actor_id).label("actor_id"),
        _int(document_id).label("document_id"),
        _str(label).label("label"),
        _str(detail).label("detail"),
        _str(extra).label("extra"),
        _money(amount).label("amount"),
        _money(amount2).label("amount2"),
    ]


COLUMN_NAMES = [
    "kind_rank",
    "source_id",
    "variant",
    "occurred_at",
    "customer_id",
    "actor_id",
    "document_id",
    "label",
    "detail",
    "extra",
    "amount",
    "amount2",
]

_I, _Q, _QS = CustomerInteraction, Quotation, QuotationStatusChange
_O, _OS, _P = Order, OrderStatusChange, Payment
_CL, _CA, _CO, _T = CreditLimitHistory, CreditAlertEvent, CreditOverrideEvent, FollowUpTask

SOURCES: list[Source] = [
    # label: subject · detail: interaction kind · extra: status
    Source(
        TimelineKind.INTERACTION,
        0,
        _I.occurred_at,
        _I.id,
        _I.customer_id,
        lambda: select(
            *_row(
                TimelineKind.INTERACTION,
                source_id=_I.id,
                occurred_at=_I.occurred_at,
                customer_id=_I.customer_id,
                actor_id=_I.created_by_id,
                document_id=_I.id,
                label=_I.subject,
                detail=_I.kind,
                extra=_I.status,
            )
        ),
    ),
    # label: number · amount: total
    Source(
        TimelineKind.QUOTATION,
        0,
        _Q.created_at,
        _Q.id,
        _Q.customer_id,
        lambda: select(
            *_row(
                TimelineKind.QUOTATION,
                source_id=_Q.id,
                occurred_at=_Q.created_at,
                customer_id=_Q.customer_id,
                actor_id=_Q.created_by_id,
                document_id=_Q.id,
                label=_Q.number,
                amount=_Q.total,
            )
        ),
    ),
    # label: number · detail: to status · extra: from status · amount: total.
    # The first entry (no from status) is the quotation's creation: the QUOTATION event.
    Source(
        TimelineKind.QUOTATION_STATUS,
        0,
        _QS.changed_at,
        _QS.id,
        _Q.customer_id,
        lambda: (
            select(
                *_row(
                    TimelineKind.QUOTATION_STATUS,
                    source_id=_QS.id,
                    occurred_at=_QS.changed_at,
                    customer_id=_Q.customer_id,
                    actor_id=_QS.changed_by_id,
                    document_id=_Q.id,
                    label=_Q.number,
                    detail=_QS.to_status,
                    extra=_QS.from_status,
                    amount=_Q.total,
                )
            )
            .select_from(_Q)
            .join(_QS, _QS.quotation_id == _Q.id)
            .where(_QS.from_status.is_not(None))
        ),
    ),
    Source(
        TimelineKind.ORDER,
        0,
        _O.created_at,
        _O.id,
        _O.customer_id,
        lambda: select(
            *_row(
                TimelineKind.ORDER,
                source_id=_O.id,
                occurred_at=_O.created_at,
                customer_id=_O.customer_id,
                actor_id=_O.created_by_id,
                document_id=_O.id,
                label=_O.number,
                amount=_O.total,
            )
        ),
    ),
    Source(
        TimelineKind.ORDER_STATUS,
        0,
        _OS.changed_at,
        _OS.id,
        _O.customer_id,
        lambda: (
            select(
                *_row(
                    TimelineKind.ORDER_STATUS,
                    source_id=_OS.id,
                    occurred_at=_OS.changed_at,
                    customer_id=_O.customer_id,
                    actor_id=_OS.changed_by_id,
                    document_id=_O.id,
                    label=_O.number,
                    detail=_OS.to_status,
                    extra=_OS.from_status,
                    amount=_O.total,
                )
            )
            .select_from(_O)
            .join(_OS, _OS.order_id == _O.id)
            .where(_OS.from_status.is_not(None))
        ),
    ),
    # label: reference · detail: method · amount: amount · document: the order
    Source(
        TimelineKind.PAYMENT,
        0,
        _P.paid_at,
        _P.id,
        _P.customer_id,
        lambda: select(
            *_row(
                TimelineKind.PAYMENT,
                source_id=_P.id,
                occurred_at=_P.paid_at,
                customer_id=_P.customer_id,
                actor_id=_P.recorded_by_id,
                document_id=_P.order_id,
                label=_P.reference,
                detail=_P.method,
                amount=_P.amount,
            )
        ),
    ),
    # label: reason · amount: new limit · amount2: old limit
    Source(
        TimelineKind.CREDIT_LIMIT,
        0,
        _CL.changed_at,
        _CL.id,
        _CL.customer_id,
        lambda: select(
            *_row(
                TimelineKind.CREDIT_LIMIT,
                source_id=_CL.id,
                occurred_at=_CL.changed_at,
                customer_id=_CL.customer_id,
                actor_id=_CL.changed_by_id,
                label=_CL.reason,
                amount=_CL.new_limit,
                amount2=_CL.old_limit,
            )
        ),
    ),
    # label: cause · detail: level · extra: previous level · amount: outstanding ·
    # amount2: limit
    Source(
        TimelineKind.CREDIT_ALERT,
        0,
        _CA.occurred_at,
        _CA.id,
        _CA.customer_id,
        lambda: select(
            *_row(
                TimelineKind.CREDIT_ALERT,
                source_id=_CA.id,
                occurred_at=_CA.occurred_at,
                customer_id=_CA.customer_id,
                actor_id=_CA.actor_id,
                label=_CA.cause,
                detail=_CA.level,
                extra=_CA.previous_level,
                amount=_CA.outstanding,
                amount2=_CA.limit,
            )
        ),
    ),
    # label: reason · amount: order amount · amount2: limit · document: the order
    Source(
        TimelineKind.CREDIT_OVERRIDE,
        0,
        _CO.occurred_at,
        _CO.id,
        _CO.customer_id,
        lambda: select(
            *_row(
                TimelineKind.CREDIT_OVERRIDE,
                source_id=_CO.id,
                occurred_at=_CO.occurred_at,
                customer_id=_CO.customer_id,
                actor_id=_CO.actor_id,
                document_id=_CO.order_id,
                label=_CO.reason,
                amount=_CO.amount,
                amount2=_CO.limit,
            )
        ),
    ),
    # label: title · detail: action
    Source(
        TimelineKind.TASK,
        0,
        _T.created_at,
        _T.id,
        _T.customer_id,
        lambda: select(
            *_row(
                TimelineKind.TASK,
                source_id=_T.id,
                occurred_at=_T.created_at,
                customer_id=_T.customer_id,
                actor_id=_T.created_by_id,
                document_id=_T.id,
                label=_T.title,
                detail=literal_column(f"'{TaskAction.CREATED.value}'", String),
            )
        ),
    ),
    # label: title · detail: action · extra: outcome
    Source(
        TimelineKind.TASK,
        1,
        _T.completed_at,
        _T.id,
        _T.customer_id,
        lambda: select(
            *_row(
                TimelineKind.TASK,
                variant=1,
                source_id=_T.id,
                occurred_at=_T.completed_at,
                customer_id=_T.customer_id,
                actor_id=_T.completed_by_id,
                document_id=_T.id,
                label=_T.title,
                detail=literal_column(f"'{TaskAction.COMPLETED.value}'", String),
                extra=_T.outcome,
            )
        ).where(_T.status == TaskStatus.COMPLETED, _T.completed_at.is_not(None)),
    ),
]


def sources_for(kinds: frozenset[TimelineKind] | None) -> list[Source]:
    """The sources of the kinds asked for (all of them when ``kinds`` is empty or None)."""
    return [s for s in SOURCES if not kinds or s.kind in kinds]
