"""The rows of an export, streamed from the database in keyset batches by id.

Memory stays bounded whatever the export's size: one batch of customers at a time, each
read in a short session of its own, with the computed columns (tags, segments, scores,
predictions, revenue) fetched for the whole batch in one set-based statement each, and
only when a chosen column or the XLSX summary needs them. Values are kept typed
(``Decimal``, ``date``, lists); each file format decides how to write them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Customer, User
from resolvers import export_facts as facts
from resolvers.config import CreditThresholds
from resolvers.credit import credit_level
from resolvers.customer_columns import CustomerColumn
from resolvers.customer_queries import CustomerFilter, filter_conditions
from resolvers.export_raw import fetch_columns

C = CustomerColumn
BATCH_SIZE = 5_000

# Customer table columns a chosen column reads (business type is always read: summaries).
_SOURCES: dict[CustomerColumn, tuple[str, ...]] = {
    C.ID: (),
    C.CODE: ("code",),
    C.NAME: ("name",),
    C.BUSINESS_TYPE: (),
    C.STATUS: ("status",),
    C.EMAIL: ("email",),
    C.PHONE: ("phone",),
    C.TAX_ID: ("tax_id",),
    C.ADDRESS_LINE1: ("address_line1",),
    C.ADDRESS_LINE2: ("address_line2",),
    C.CITY: ("city",),
    C.STATE: ("state",),
    C.POSTAL_CODE: ("postal_code",),
    C.COUNTRY: ("country",),
    C.CREDIT_LIMIT: ("credit_limit",),
    C.CUSTOMER_SINCE: ("created_at",),
    C.CREDIT_OUTSTANDING: ("credit_outstanding",),
    C.CREDIT_LEVEL: ("credit_limit", "credit_outstanding"),
    C.CREATED_AT: ("created_at",),
    C.UPDATED_AT: ("updated_at",),
}
# Columns whose values are a customer table column (or the owner's email) as read.
_PLAIN = {
    C.CODE: "code",
    C.NAME: "name",
    C.EMAIL: "email",
    C.PHONE: "phone",
    C.TAX_ID: "tax_id",
    C.ADDRESS_LINE1: "address_line1",
    C.ADDRESS_LINE2: "address_line2",
    C.CITY: "city",
    C.STATE: "state",
    C.POSTAL_CODE: "postal_code",
    C.COUNTRY: "country",
    C.OWNER_EMAIL: "owner_email",
    C.CREDIT_LIMIT: "credit_limit",
    C.CREDIT_OUTSTANDING: "credit_outstanding",
    C.CREATED_AT: "created_at",
    C.UPDATED_AT: "updated_at",
}


@dataclass(frozen=True)
class ExportScope:
    """Which customers, which columns, and the settings their values depend on."""

    columns: tuple[CustomerColumn, ...]
    flt: CustomerFilter | None
    timezone: ZoneInfo
    thresholds: CreditThresholds
    with_summary: bool = False
    batch_size: int = BATCH_SIZE


@dataclass(frozen=True)
class ExportBatch:
    """One batch, column by column: ``values[column][i]`` belongs to the i-th customer."""

    size: int
    values: dict[CustomerColumn, list[Any]]
    business_types: list[str]
    segments: list[facts.SegmentLabels] | None  # per customer, for summaries
    revenue: list[Decimal] | None  # orders not cancelled, all time: summaries


def _batch_query(scope: ExportScope, after_id: int) -> Any:
    names = {"id", "business_type"}
    for column in scope.columns:
        names.update(_SOURCES.get(column, ()))
    customers = Customer.__table__
    query = select(*(customers.c[name] for name in sorted(names)))
    if C.OWNER_EMAIL in scope.columns:
        users = User.__table__
        query = query.add_columns(users.c.email.label("owner_email")).select_from(
            customers.outerjoin(users, users.c.id == customers.c.owner_id)
        )
    conditions = [*filter_conditions(scope.flt), customers.c.id > after_id]
    return query.where(and_(*conditions)).order_by(customers.c.id).limit(scope.batch_size)


def _local_days(moments: Sequence[dt.datetime | None], timezone: ZoneInfo) -> list[Any]:
    return [None if m is None else m.astimezone(timezone).date() for m in moments]


def _credit_levels(scope: ExportScope, columns: dict[str, Sequence[Any]]) -> list[str]:
    limits, outstanding = columns["credit_limit"], columns["credit_outstanding"]
    return [
        credit_level(limit, owed, scope.thresholds).value
        for limit, owed in zip(limits, outstanding, strict=True)
    ]


def _segment_names(labels: list[facts.SegmentLabels]) -> list[tuple[str, ...]]:
    """Names only; customers with the same segments share one tuple (few to collect)."""
    names: dict[facts.SegmentLabels, tuple[str, ...]] = {}
    for found in set(labels):
        names[found] = tuple(name for _, name in found)
    return [names[found] for found in labels]


async def _values(
    session: AsyncSession, scope: ExportScope, columns: dict[str, Sequence[Any]], ids: list[int]
) -> dict[CustomerColumn, list[Any]]:
    """Each chosen column's values (``columns``: the batch's customer table columns)."""
    values: dict[CustomerColumn, list[Any]] = {}
    for column in scope.columns:
        if column in _PLAIN:
            values[column] = list(columns[_PLAIN[column]])
        elif column is C.ID:
            values[column] = ids
        elif column in (C.BUSINESS_TYPE, C.STATUS):
            values[column] = list(columns[column.value.lower()])
        elif column is C.CREDIT_LEVEL:
            values[column] = _credit_levels(scope, columns)
        elif column is C.CUSTOMER_SINCE:
            values[column] = _local_days(columns["created_at"], scope.timezone)
        elif column is C.TAGS:
            values[column] = await facts.tags(session, ids)
        elif column is C.RELATIONSHIP_SCORE:
            values[column] = await facts.relationship_scores(session, ids)
        elif column is C.LIFETIME_VALUE:
            values[column] = await facts.predicted_values(session, ids)
    return values


async def _page(
    sessions: async_sessionmaker[AsyncSession], scope: ExportScope, after_id: int
) -> dict[str, Sequence[Any]]:
    """The next customers after ``after_id``, column by column (empty at the end)."""
    async with sessions() as session:
        return await fetch_columns(session, _batch_query(scope, after_id))


async def _batch(
    sessions: async_sessionmaker[AsyncSession],
    scope: ExportScope,
    columns: dict[str, Sequence[Any]],
    catalogue: dict[int, tuple[str, str, str]] | None,
) -> ExportBatch:
    """A page of customers with its computed columns (segments only given a catalogue)."""
    ids = list(columns["id"])
    async with sessions() as session:
        values = await _values(session, scope, columns, ids)
        segments = None if catalogue is None else await facts.segments(session, ids, catalogue)
        if segments is not None and C.SEGMENTS in scope.columns:
            values[C.SEGMENTS] = _segment_names(segments)
        revenue = await facts.revenue(session, ids) if scope.with_summary else None
    return ExportBatch(
        size=len(ids),
        values=values,
        business_types=list(columns["business_type"]),
        segments=segments,
        revenue=revenue,
    )


async def export_batches(
    sessions: async_sessionmaker[AsyncSession], scope: ExportScope
) -> AsyncIterator[ExportBatch]:
    """The customers in the scope, by ascending id, a batch at a time.

    (Reading the next page while computing this one's columns was measured: no faster on
    PostgreSQL, slower on SQLite, where the threads only contend for the GIL.)
    """
    catalogue = None
    if C.SEGMENTS in scope.columns or scope.with_summary:
        async with sessions() as session:
            catalogue = await facts.segment_catalogue(session)
    columns = await _page(sessions, scope, 0)
    while columns:
        yield await _batch(sessions, scope, columns, catalogue)
        columns = await _page(sessions, scope, columns["id"][-1])
