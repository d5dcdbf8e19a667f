"""A customer's timeline: every kind of event in one newest-first stream.

The stream is one SQL statement, a ``UNION ALL`` of the sources in
``resolvers.timeline_sources``, in the total order

    occurred_at DESC, kind_rank DESC, source_id DESC, variant DESC

so keyset pagination is exact: the cursor holds those four values of the last event
seen and the next page starts strictly after it, however many events share a timestamp.

* One customer (``customer_timeline``): each source is cut at the cursor and limited to
  ``first + 1`` rows on its own index before the union is merged, so the cost follows the
  page size, not the size of the account.
* A page of customers (``latest_timelines``, the dashboard): the latest events of every
  customer in one statement, ranked with ``ROW_NUMBER() OVER (PARTITION BY customer_id …)``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    and_,
    false,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from models import UTCDateTime
from resolvers.errors import ValidationFailed
from resolvers.pagination import Page, decode_cursor, encode_cursor, parse_datetime
from resolvers.timeline_sources import (
    COLUMN_NAMES,
    KIND_BY_RANK,
    Source,
    TaskAction,
    TimelineKind,
    sources_for,
)

Kinds = frozenset[TimelineKind]


@dataclass(frozen=True)
class TimelineCursor:
    occurred_at: dt.datetime
    kind: TimelineKind
    source_id: int
    variant: int


def _parse_variant(value: Any) -> int:
    if value not in (0, 1):
        raise ValueError("unknown event variant")
    return int(value)


def _parse_int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("not an integer")
    return value


def decode_timeline_cursor(cursor: str) -> TimelineCursor:
    occurred_at, kind, source_id, variant = decode_cursor(
        cursor, [parse_datetime, TimelineKind, _parse_int, _parse_variant]
    )
    if None in (occurred_at, kind, source_id, variant):
        raise ValidationFailed("The cursor is not valid for this list", field="after")
    return TimelineCursor(occurred_at, kind, source_id, variant)


def cursor_of(row: Any) -> str:
    return encode_cursor(
        [row.occurred_at, KIND_BY_RANK[row.kind_rank].value, row.source_id, row.variant]
    )


def kind_of(row: Any) -> TimelineKind:
    return KIND_BY_RANK[row.kind_rank]


def event_id(row: Any) -> str:
    """Stable ids: ``KIND:sourceId``; a task gives two events, ``TASK:created:ID`` and
    ``TASK:completed:ID``."""
    kind = kind_of(row)
    if kind is TimelineKind.TASK:
        action = TaskAction.COMPLETED if row.variant else TaskAction.CREATED
        return f"TASK:{action.value.lower()}:{row.source_id}"
    return f"{kind.value}:{row.source_id}"


def _after(source: Source, cursor: TimelineCursor) -> ColumnElement[bool]:
    """Events of ``source`` strictly after ``cursor`` in the timeline's order. Kind and
    variant are constants within a source, so the tie on the timestamp is decided here in
    Python and the database sees an index range on ``occurred_at``."""
    stamp = literal(cursor.occurred_at, UTCDateTime)
    rank, cursor_rank = source.kind.rank, cursor.kind.rank
    if rank != cursor_rank:
        tie: ColumnElement[bool] = true() if rank < cursor_rank else false()
    else:
        same_source = true() if source.variant < cursor.variant else false()
        tie = or_(
            source.source_id < cursor.source_id,
            and_(source.source_id == cursor.source_id, same_source),
        )
    # The first bound alone is a plain index range; the rest settles the ties on it.
    return and_(
        source.occurred_at <= stamp,
        or_(source.occurred_at < stamp, and_(source.occurred_at == stamp, tie)),
    )


def _branch(
    source: Source, customer: ColumnElement[bool], cursor: TimelineCursor | None, limit: int
) -> Any:
    query = source.build().where(customer, source.occurred_at.is_not(None))
    if cursor is not None:
        query = query.where(_after(source, cursor))
    query = query.order_by(source.occurred_at.desc(), source.source_id.desc()).limit(limit)
    return select(query.subquery())


def _order(columns: Any) -> list[ColumnElement[Any]]:
    return [
        columns.occurred_at.desc(),
        columns.kind_rank.desc(),
        columns.source_id.desc(),
        columns.variant.desc(),
    ]


async def customer_timeline(
    session: AsyncSession,
    *,
    customer_id: int,
    first: int,
    after: str | None,
    kinds: Kinds | None = None,
) -> Page[Row[Any]]:
    """One page of a customer's events, newest first."""
    cursor = decode_timeline_cursor(after) if after else None
    return _page(await _newest(session, customer_id, first + 1, cursor, kinds), first)


def _page(rows: Sequence[Row[Any]], first: int) -> Page[Row[Any]]:
    """``first`` rows, given ``first + 1`` when another page follows."""
    return Page(
        items=list(rows[:first]),
        cursors=[cursor_of(r) for r in rows[:first]],
        has_next_page=len(rows) > first,
    )


async def _newest(
    session: AsyncSession,
    customer_id: int,
    limit: int,
    cursor: TimelineCursor | None,
    kinds: Kinds | None,
) -> Sequence[Row[Any]]:
    """The newest ``limit`` events after ``cursor``: each source cut and limited on its own
    index, then merged."""
    branches = [_branch(s, s.customer_id == customer_id, cursor, limit) for s in sources_for(kinds)]
    merged = union_all(*branches).subquery("timeline")
    query = select(*merged.c).order_by(*_order(merged.c)).limit(limit)
    return (await session.execute(query)).all()


@dataclass(frozen=True)
class LatestKey:
    """What the dashboard asks for one customer: its newest ``first`` events."""

    customer_id: int
    first: int
    kinds: Kinds | None = None


async def latest_timelines(session: AsyncSession, keys: Sequence[LatestKey]) -> list[Page[Any]]:
    """The newest events of many customers, one statement per distinct (first, kinds):
    a page of customers asking the same thing costs one statement whatever its size."""
    groups: dict[tuple[int, Kinds | None], set[int]] = defaultdict(set)
    for key in keys:
        groups[key.first, key.kinds or None].add(key.customer_id)
    found: dict[tuple[int, int, Kinds | None], list[Row[Any]]] = defaultdict(list)
    for (first, kinds), customer_ids in groups.items():
        ids = sorted(customer_ids)
        if len(ids) == 1:  # one customer (its own page): the cheaper, index-limited form
            found[ids[0], first, kinds] = list(
                await _newest(session, ids[0], first + 1, None, kinds)
            )
            continue
        branches = [
            s.build().where(s.customer_id.in_(ids), s.occurred_at.is_not(None))
            for s in sources_for(kinds)
        ]
        merged = union_all(*branches).subquery("timeline")
        ranked = select(
            *merged.c,
            func.row_number()
            .over(partition_by=merged.c.customer_id, order_by=_order(merged.c))
            .label("position"),
        ).subquery("ranked")
        query = (
            select(*[ranked.c[name] for name in COLUMN_NAMES])
            .where(ranked.c.position <= first + 1)
            .order_by(ranked.c.customer_id, ranked.c.position)
        )
        for row in (await session.execute(query)).all():
            found[row.customer_id, first, kinds].append(row)
    return [
        _page(found.get((key.customer_id, key.first, key.kinds or None), []), key.first)
        for key in keys
    ]


@dataclass(frozen=True)
class CountKey:
    customer_id: int
    kinds: Kinds | None = None


async def count_timelines(session: AsyncSession, keys: Sequence[CountKey]) -> list[int]:
    """``totalCount`` for many customers: one ``GROUP BY`` per distinct ``kinds``."""
    groups: dict[Kinds | None, set[int]] = defaultdict(set)
    for key in keys:
        groups[key.kinds or None].add(key.customer_id)
    counts: dict[tuple[int, Kinds | None], int] = {}
    for kinds, customer_ids in groups.items():
        ids = sorted(customer_ids)
        branches = [
            s.build()
            .with_only_columns(s.customer_id.label("customer_id"))
            .where(s.customer_id.in_(ids), s.occurred_at.is_not(None))
            for s in sources_for(kinds)
        ]
        merged = union_all(*branches).subquery("timeline")
        query = select(merged.c.customer_id, func.count()).group_by(merged.c.customer_id)
        for customer_id, count in (await session.execute(query)).all():
            counts[customer_id, kinds] = int(count)
    return [counts.get((key.customer_id, key.kinds or None), 0) for key in keys]
