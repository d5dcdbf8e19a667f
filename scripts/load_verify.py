"""After a load or fault run: every acknowledged write is in the database, and nothing is
half-written (orders with their lines and status row, unbroken credit-limit chains,
cached outstanding equal to its definition)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from sqlalchemy import func, select

from app.db import Database
from models import (
    CreditLimitHistory,
    Customer,
    CustomerInteraction,
    FollowUpTask,
    Order,
    OrderLine,
    OrderStatusChange,
    Quotation,
    QuotationLine,
)
from models.enums import TaskStatus
from resolvers.credit import outstanding_definition


@dataclass
class Acknowledged:
    """Writes whose response carried an id: the server said they were done."""

    interactions: list[int] = field(default_factory=list)
    tasks_created: list[int] = field(default_factory=list)
    tasks_completed: list[int] = field(default_factory=list)
    # (change id, customer id, new limit or None)
    limit_changes: list[tuple[int, int, Decimal | None]] = field(default_factory=list)
    # (id, number of lines sent)
    quotations: list[tuple[int, int]] = field(default_factory=list)
    # (id, number of lines sent, total answered)
    orders: list[tuple[int, int, Decimal]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(
            len(x)
            for x in (
                self.interactions,
                self.tasks_created,
                self.tasks_completed,
                self.limit_changes,
                self.quotations,
                self.orders,
            )
        )


@dataclass
class Check:
    name: str
    checked: int
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass
class Baseline:
    """The highest ids before the run: rows above them were written by the run."""

    order_id: int
    quotation_id: int


async def baseline(db: Database) -> Baseline:
    async with db.read_session() as session:
        order_id = await session.scalar(select(func.coalesce(func.max(Order.id), 0)))
        quotation_id = await session.scalar(select(func.coalesce(func.max(Quotation.id), 0)))
    return Baseline(order_id=order_id or 0, quotation_id=quotation_id or 0)


async def verify(db: Database, acked: Acknowledged, since: Baseline) -> list[Check]:
    async with db.read_session() as session:
        checks = [
            await _present(
                session, "acknowledged interactions", CustomerInteraction, acked.interactions
            ),
            await _present(
                session, "acknowledged follow-up tasks", FollowUpTask, acked.tasks_created
            ),
            await _tasks_completed(session, acked.tasks_completed),
            await _limit_changes(session, acked.limit_changes),
            await _quotations(session, acked.quotations, since),
            await _orders(session, acked.orders, since),
            await _limit_chains(session),
            await _outstanding(session),
        ]
    return checks


async def _present(session, name: str, model, ids: list[int]) -> Check:  # type: ignore[no-untyped-def]
    found = set()
    for chunk in _chunks(ids):
        found |= set((await session.scalars(select(model.id).where(model.id.in_(chunk)))).all())
    return Check(name, len(ids), [f"id {i} missing" for i in ids if i not in found])


async def _tasks_completed(session, ids: list[int]) -> Check:  # type: ignore[no-untyped-def]
    status = {}
    for chunk in _chunks(ids):
        rows = await session.execute(
            select(FollowUpTask.id, FollowUpTask.status).where(FollowUpTask.id.in_(chunk))
        )
        status |= dict(rows.all())
    problems = [
        f"task {i} is {status.get(i, 'missing')}"
        for i in ids
        if status.get(i) is not TaskStatus.COMPLETED
    ]
    return Check("acknowledged task completions", len(ids), problems)


async def _limit_changes(session, changes: list[tuple[int, int, Decimal | None]]) -> Check:  # type: ignore[no-untyped-def]
    rows = {}
    for chunk in _chunks([c[0] for c in changes]):
        result = await session.execute(
            select(
                CreditLimitHistory.id, CreditLimitHistory.customer_id, CreditLimitHistory.new_limit
            ).where(CreditLimitHistory.id.in_(chunk))
        )
        rows |= {r.id: (r.customer_id, r.new_limit) for r in result}
    problems = [
        f"change {change_id}: expected {(customer_id, limit)}, found {rows.get(change_id)}"
        for change_id, customer_id, limit in changes
        if rows.get(change_id) != (customer_id, limit)
    ]
    return Check("acknowledged credit-limit changes", len(changes), problems)


async def _counts_by(session, parent_column, since_id: int) -> dict[int, int]:  # type: ignore[no-untyped-def]
    rows = await session.execute(
        select(parent_column, func.count()).where(parent_column > since_id).group_by(parent_column)
    )
    return dict(rows.all())


async def _quotations(session, acked: list[tuple[int, int]], since: Baseline) -> Check:  # type: ignore[no-untyped-def]
    ids = (
        await session.scalars(select(Quotation.id).where(Quotation.id > since.quotation_id))
    ).all()
    lines = await _counts_by(session, QuotationLine.quotation_id, since.quotation_id)
    existing = set(ids)
    problems = [f"quotation {q} has no lines" for q in ids if not lines.get(q)]
    problems += [
        f"quotation {q} missing"
        if q not in existing
        else f"quotation {q}: {lines.get(q)} of {n} lines"
        for q, n in acked
        if q not in existing or lines.get(q) != n
    ]
    return Check(
        "quotations: acknowledged, each with its lines", max(len(ids), len(acked)), problems
    )


async def _orders(session, acked: list[tuple[int, int, Decimal]], since: Baseline) -> Check:  # type: ignore[no-untyped-def]
    totals = dict(
        (
            await session.execute(select(Order.id, Order.total).where(Order.id > since.order_id))
        ).all()
    )
    line_rows = await session.execute(
        select(OrderLine.order_id, func.count(), func.sum(OrderLine.line_total))
        .where(OrderLine.order_id > since.order_id)
        .group_by(OrderLine.order_id)
    )
    lines = {r[0]: (r[1], r[2]) for r in line_rows}
    history = await _counts_by(session, OrderStatusChange.order_id, since.order_id)
    problems = []
    for order_id, total in totals.items():
        count, line_sum = lines.get(order_id, (0, None))
        if not count:
            problems.append(f"order {order_id} has no lines")
        elif line_sum != total:
            problems.append(f"order {order_id}: total {total} but lines sum to {line_sum}")
        if not history.get(order_id):
            problems.append(f"order {order_id} has no status history row")
    for order_id, n, total in acked:
        if order_id not in totals:
            problems.append(f"order {order_id} missing")
        elif lines.get(order_id, (0, None))[0] != n or totals[order_id] != total:
            problems.append(f"order {order_id}: lines or total differ from the answer")
    return Check(
        "orders: acknowledged, lines, total, status row", max(len(totals), len(acked)), problems
    )


async def _limit_chains(session) -> Check:  # type: ignore[no-untyped-def]
    """Each customer's history, in order: old limit = previous new limit; the last new limit
    is the customer's current limit."""
    rows = await session.execute(
        select(
            CreditLimitHistory.customer_id,
            CreditLimitHistory.id,
            CreditLimitHistory.old_limit,
            CreditLimitHistory.new_limit,
        ).order_by(
            CreditLimitHistory.customer_id, CreditLimitHistory.changed_at, CreditLimitHistory.id
        )
    )
    chains: dict[int, list[tuple[int, Decimal | None, Decimal | None]]] = defaultdict(list)
    for customer_id, change_id, old, new in rows:
        chains[customer_id].append((change_id, old, new))
    limits = {}
    for chunk in _chunks(list(chains)):
        result = await session.execute(
            select(Customer.id, Customer.credit_limit).where(Customer.id.in_(chunk))
        )
        limits |= dict(result.all())
    problems = []
    for customer_id, chain in chains.items():
        for (_, _, previous_new), (change_id, old, _) in pairwise(chain):
            if old != previous_new:
                problems.append(
                    f"customer {customer_id}: change {change_id} starts at {old}, "
                    f"the previous ended at {previous_new}"
                )
        if chain[-1][2] != limits.get(customer_id):
            problems.append(
                f"customer {customer_id}: history ends at {chain[-1][2]}, "
                f"the limit is {limits.get(customer_id)}"
            )
    return Check("credit-limit history chains unbroken", len(chains), problems)


async def _outstanding(session) -> Check:  # type: ignore[no-untyped-def]
    rows = (
        await session.execute(
            select(Customer.id, Customer.credit_outstanding, outstanding_definition(Customer.id))
        )
    ).all()
    problems = [
        f"customer {customer_id}: cached {cached}, defined {defined}"
        for customer_id, cached, defined in rows
        if cached != defined
    ]
    return Check("cached credit outstanding = its definition", len(rows), problems)


def _chunks(ids: list[int], size: int = 5000) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def print_checks(checks: list[Check]) -> None:
    print(f"\n{'check':<52} {'rows':>8}  verdict")
    print("-" * 72)
    for check in checks:
        verdict = "ok" if check.passed else f"{len(check.problems)} PROBLEMS"
        print(f"{check.name:<52} {check.checked:>8,}  {verdict}")
        for problem in check.problems[:5]:
            print(f"    {problem}")
