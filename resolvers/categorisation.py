"""Categorisation: every active rule applied to a set of customers, set-based.

No customer is looked at in Python. The statements, whatever the number of customers:

1. ensure the default segments, and LOCATION segments for new states (1–4 statements);
2. read the active rules (1); refresh engagement scores if a rule reads them (1);
3. compute the wanted AUTO memberships into a temporary table (3: create, insert, and a
   final drop; plus ANALYZE on PostgreSQL): the facts subquery gives one row per
   customer; each "slot" — a kind whose segments exclude each other, or one CUSTOM
   segment — is one ``CASE`` over that slot's rules, highest priority first (then
   lowest id), so the first matching rule wins; the per-customer slot values are
   materialised once and unpivoted into (customer, segment, rule) rows;
4. apply the difference to ``customer_segment_memberships`` (4): re-point AUTO
   memberships whose winning rule changed, delete AUTO memberships no longer wanted,
   drop the pairs that already exist from the wanted rows, insert the rest. MANUAL
   memberships are never deleted or re-pointed, and a wanted membership that already
   exists as MANUAL stays MANUAL;
5. count the customers processed (1).

BUSINESS_TYPE, VOLUME, LOCATION and ENGAGEMENT are mutually exclusive kinds (a customer is
in at most one segment of each); CUSTOM segments may overlap.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Integer,
    MetaData,
    Table,
    and_,
    case,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    true,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.schema import CreateTable, DropTable

from models import (
    Customer,
    CustomerSegment,
    CustomerSegmentationRule,
    CustomerSegmentMembership,
)
from models.base import utcnow
from models.enums import MembershipSource, RuleMatch, SegmentKind
from resolvers.config import DomainConfig
from resolvers.engagement import refresh_engagement_scores
from resolvers.errors import NotFound
from resolvers.segment_conditions import Condition, ConditionField, stored_conditions
from resolvers.segment_defaults import ensure_default_segments, ensure_location_segments
from resolvers.segment_facts import FactsContext, facts_subquery, rule_sql
from resolvers.sql import insert_or_ignore

EXCLUSIVE_KINDS = frozenset(SegmentKind) - {SegmentKind.CUSTOM}

# Scratch space of one run, private to the connection (a temporary table).
_wanted = Table(
    "segmentation_wanted",
    MetaData(),
    Column("customer_id", Integer, primary_key=True),
    Column("segment_id", Integer, primary_key=True),
    Column("rule_id", Integer, nullable=False),
    prefixes=["TEMPORARY"],
)


@dataclass(frozen=True)
class CategorisationResult:
    processed: int
    added: int
    removed: int


@dataclass(frozen=True)
class _Rule:
    id: int
    segment_id: int
    kind: SegmentKind
    match: RuleMatch
    priority: int
    conditions: list[Condition]

    @property
    def slot(self) -> tuple[str, int | str]:
        """Rules in one slot exclude each other; CUSTOM segments are a slot each."""
        if self.kind is SegmentKind.CUSTOM:
            return ("segment", self.segment_id)
        return ("kind", self.kind.value)


async def _active_rules(session: AsyncSession) -> list[_Rule]:
    R, S = CustomerSegmentationRule, CustomerSegment
    rows = (
        await session.execute(
            select(R.id, R.segment_id, S.kind, R.match, R.priority, R.conditions)
            .join(S, S.id == R.segment_id)
            .where(R.active.is_(True))
            .order_by(R.priority.desc(), R.id)
        )
    ).all()
    return [
        _Rule(r.id, r.segment_id, r.kind, r.match, r.priority, stored_conditions(r.conditions))
        for r in rows
    ]


def _scope(
    customer_ids: Sequence[int] | None, conditions: Sequence[ColumnElement[bool]] | None
) -> ColumnElement[bool] | None:
    """The customers to categorise as a condition on ``customers`` (None: all)."""
    parts: list[ColumnElement[bool]] = list(conditions or ())
    if customer_ids is not None:
        parts.append(Customer.id.in_(list(customer_ids)))
    return and_(*parts) if parts else None


def _wanted_rows(rules: list[_Rule], facts: Any, context: FactsContext) -> Any:
    """(customer_id, segment_id, rule_id) of every wanted AUTO membership.

    The per-customer slot values are a MATERIALIZED common table expression, so the facts
    (the expensive aggregates) are computed once, then read once per slot.
    """
    slots: dict[tuple[str, int | str], list[_Rule]] = {}
    for rule in rules:  # already by priority desc, id
        slots.setdefault(rule.slot, []).append(rule)
    columns = [
        case(*((rule_sql(r.match, r.conditions, facts, context), r.id) for r in members)).label(
            f"slot_{n}"
        )
        for n, members in enumerate(slots.values())
    ]
    per_customer = (
        select(facts.c.customer_id, *columns).cte("per_customer").prefix_with("MATERIALIZED")
    )
    R = CustomerSegmentationRule
    wanted = union_all(
        *(
            select(per_customer.c.customer_id, per_customer.c[f"slot_{n}"].label("rule_id")).where(
                per_customer.c[f"slot_{n}"].is_not(None)
            )
            for n in range(len(columns))
        )
    ).subquery("wanted")
    return select(wanted.c.customer_id, R.segment_id, wanted.c.rule_id).join(
        R, R.id == wanted.c.rule_id
    )


async def _apply(
    session: AsyncSession, customer_scope: ColumnElement[bool] | None
) -> tuple[int, int]:
    """Apply the wanted memberships; returns (added, removed)."""
    M, W = CustomerSegmentMembership, _wanted.c
    same = and_(W.customer_id == M.customer_id, W.segment_id == M.segment_id)
    in_scope = (
        M.customer_id.in_(select(Customer.id).where(customer_scope))
        if customer_scope is not None
        else true()
    )
    await session.execute(
        update(M)
        .where(
            M.source == MembershipSource.AUTO,
            in_scope,  # without it, one customer's run would probe every membership
            exists().where(same, or_(M.rule_id.is_(None), W.rule_id != M.rule_id)),
        )
        .values(rule_id=select(W.rule_id).where(same).scalar_subquery())
    )
    removed = await session.execute(
        delete(M).where(M.source == MembershipSource.AUTO, in_scope, ~exists().where(same))
    )
    # Existing pairs leave the scratch table first: far cheaper than letting ON CONFLICT
    # find them one by one, and the insert then never probes the table it is filling
    # (with an empty table's statistics, PostgreSQL would rescan what it has inserted so
    # far for every row: 100,000 customers took minutes). ON CONFLICT still settles races
    # with concurrent runs.
    await session.execute(delete(_wanted).where(exists().where(same)))
    source = literal(MembershipSource.AUTO, M.__table__.c.source.type)
    new = select(
        W.customer_id, W.segment_id, source, W.rule_id, literal(utcnow(), M.assigned_at.type)
    )
    added = await session.execute(
        insert_or_ignore(session, M).from_select(
            ["customer_id", "segment_id", "source", "rule_id", "assigned_at"],
            new.where(true()),  # (SQLite reads ON CONFLICT after a bare SELECT as a join)
        )
    )
    return added.rowcount, removed.rowcount


async def categorize_customers(
    session: AsyncSession,
    *,
    customer_ids: Sequence[int] | None = None,
    conditions: Sequence[ColumnElement[bool]] | None = None,
    config: DomainConfig | None = None,
    now: dt.datetime | None = None,
) -> CategorisationResult:
    """Re-categorise the customers given by id (``customer_ids``), by WHERE clauses on
    ``customers`` (``conditions``, e.g. a customer filter's), both, or — with neither —
    everyone. Never commits."""
    config = config or DomainConfig()
    now = now or utcnow()
    scope = _scope(customer_ids, conditions)
    await ensure_default_segments(session)
    await ensure_location_segments(session, customer_scope=scope)
    rules = await _active_rules(session)
    fields = {c.field for r in rules for c in r.conditions}
    if ConditionField.ENGAGEMENT_SCORE in fields:
        await refresh_engagement_scores(session, customer_scope=scope, now=now, config=config)
    context = FactsContext(today=config.today(now), timezone=config.timezone)
    connection = await session.connection()
    await connection.execute(CreateTable(_wanted))
    if rules:
        facts = facts_subquery(fields, customer_scope=scope, context=context)
        await connection.execute(
            _wanted.insert().from_select(
                ["customer_id", "segment_id", "rule_id"], _wanted_rows(rules, facts, context)
            )
        )
        if connection.dialect.name == "postgresql":
            # Temporary tables get no statistics otherwise; without them the planner may
            # take a table of 400,000 wanted rows for an empty one and scan it per row.
            await connection.execute(text(f"ANALYZE {_wanted.name}"))
    added, removed = await _apply(session, scope)
    await connection.execute(DropTable(_wanted))
    count = select(func.count()).select_from(Customer)
    processed = await session.scalar(count.where(scope) if scope is not None else count)
    return CategorisationResult(processed=int(processed or 0), added=added, removed=removed)


async def categorize_in_parts(
    new_session: Callable[[], AbstractAsyncContextManager[AsyncSession]],
    *,
    conditions: Sequence[ColumnElement[bool]],
    parts: int,
    config: DomainConfig | None = None,
) -> None:
    """``categorize_customers`` for the customers ``conditions`` select, split by id into
    ``parts`` that run at the same time, each on its own connection, and commit.

    One pass over a large set is a handful of statements that one server process runs
    one after the other, mostly inserting memberships; split by customer, the same
    statements keep several cores busy. The parts touch disjoint customers, so they
    cannot wait on each other; the segments they all need are created first, in a
    transaction of their own, so no two parts race to create the same one.
    """
    async with new_session() as session:
        await ensure_default_segments(session)
        await ensure_location_segments(session, customer_scope=_scope(None, conditions))
        await session.commit()

    async def part(number: int) -> None:
        async with new_session() as session:
            await categorize_customers(
                session, conditions=[*conditions, Customer.id % parts == number], config=config
            )
            await session.commit()

    async with asyncio.TaskGroup() as group:
        for number in range(parts):
            group.create_task(part(number))


async def categorize_customer(
    session: AsyncSession, *, customer_id: int, config: DomainConfig | None = None
) -> CategorisationResult:
    """Re-categorise one customer (after it was created or changed)."""
    result = await categorize_customers(session, customer_ids=[customer_id], config=config)
    if not result.processed:
        raise NotFound("No customer with this id", field="customerId")
    return result
