"""Demo data: sizes, determinism, money and status invariants, refusal to overwrite.

Every test runs on SQLite and on PostgreSQL through the shared ``database_url`` fixture
(so under ``CI=true`` an unreachable PostgreSQL fails the run). The seeded data set lives
in that shared database, wiped before and after; tests that need databases of their own
get fresh, migrated ones from ``temporary_database``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

from app.db import Database, create_database
from app.migrate import upgrade_to_head
from models import (
    CreditLimitHistory,
    Customer,
    CustomerInteraction,
    CustomerTag,
    FollowUpTask,
    Order,
    OrderLine,
    OrderStatusChange,
    Payment,
    Product,
    Quotation,
    QuotationLine,
    QuotationStatusChange,
    User,
)
from models.enums import (
    BusinessType,
    CustomerStatus,
    OrderStatus,
    QuotationStatus,
    Role,
    TaskSource,
    TaskStatus,
)
from resolvers.money import discounted_unit_price, document_total, line_total
from resolvers.numbering import CUSTOMER, ORDER, QUOTATION, format_number, next_number
from resolvers.passwords import verify_password
from resolvers.search import customer_search_text
from scripts.seed_demo import (
    DEFAULT_NOW,
    DEMO_ADMIN_EMAIL,
    DEMO_PASSWORD,
    SeedStats,
    database_is_empty,
    seed_demo,
)
from tests.support import settings_for, temporary_database, wipe

CUSTOMERS = 200
NOW = DEFAULT_NOW
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
GSTIN = re.compile(r"^\d{2}[A-Z]{3}[PCFG][A-Z]\d{4}[A-Z][1-9]Z[0-9A-Z]$")
PHONE = re.compile(r"^\+91[6-9]\d{9}$")


@contextlib.asynccontextmanager
async def fresh_database(database_url: str, tmp_path: Path) -> AsyncIterator[Database]:
    """A new, migrated, empty database on the backend of ``database_url``."""
    backend = make_url(database_url).get_backend_name()
    async with temporary_database(backend, tmp_path) as url:
        db = create_database(settings_for(url, tmp_path))
        try:
            await upgrade_to_head(db.engine)
            yield db
        finally:
            await db.dispose()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def seeded(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple]:
    db = create_database(settings_for(database_url, tmp_path_factory.mktemp("seed")))
    messages: list[str] = []
    try:
        await wipe(db.engine)
        stats = await seed_demo(db, customers=CUSTOMERS, progress=messages.append)
        yield db, stats, messages
    finally:
        await wipe(db.engine)  # leave the shared database empty, as the other tests expect
        await db.dispose()


async def count(db: Database, model: type) -> int:
    async with db.read_session() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


# --------------------------------------------------------------------------------------
# Invariants of a seeded database
# --------------------------------------------------------------------------------------


async def check_invariants(db: Database, stats: SeedStats, customers: int) -> None:
    await check_counts(db, stats, customers)
    await check_money(db)
    await check_payments(db)
    await check_histories(db)
    await check_credit_history(db)
    await check_cached_outstanding(db)


async def check_counts(db: Database, stats: SeedStats, customers: int) -> None:
    actual = {
        "users": await count(db, User),
        "products": await count(db, Product),
        "customers": await count(db, Customer),
        "quotations": await count(db, Quotation),
        "orders": await count(db, Order),
        "payments": await count(db, Payment),
        "interactions": await count(db, CustomerInteraction),
        "tasks": await count(db, FollowUpTask),
    }
    assert actual == {key: getattr(stats, key) for key in actual}
    assert actual["customers"] == customers
    assert actual["products"] == 60
    assert 2.4 * customers <= actual["quotations"] <= 3.6 * customers
    assert 8.5 * customers <= actual["orders"] <= 11.5 * customers
    assert 4.3 * customers <= actual["interactions"] <= 5.7 * customers
    assert 0.3 * customers <= actual["tasks"] <= 0.7 * customers
    assert 0.6 * actual["orders"] <= actual["payments"] <= actual["orders"]
    assert stats.seconds > 0


async def check_money(db: Database) -> None:
    """Lines are priced with resolvers.money and totals are the sum of rounded lines."""
    async with db.read_session() as session:
        for document, line_model, key in (
            (Order, OrderLine, OrderLine.order_id),
            (Quotation, QuotationLine, QuotationLine.quotation_id),
        ):
            lines = defaultdict(list)
            for line in (await session.execute(select(line_model))).scalars():
                assert isinstance(line.unit_price, Decimal)
                assert line.pricing_rule_id is None
                assert line.quantity >= 1
                assert line.unit_price == discounted_unit_price(
                    line.list_price, line.discount_percent
                )
                assert line.line_total == line_total(line.unit_price, line.quantity)
                lines[getattr(line, key.key)].append(line)
            totals = (await session.execute(select(document.id, document.total))).all()
            assert totals
            for doc_id, total in totals:
                doc_lines = sorted(lines[doc_id], key=lambda x: x.position)
                assert 1 <= len(doc_lines) <= 3
                assert [x.position for x in doc_lines] == list(range(1, len(doc_lines) + 1))
                assert len({x.product_id for x in doc_lines}) == len(doc_lines)
                assert total == document_total(x.line_total for x in doc_lines)
        # The same check in SQL, as the API's aggregates would see it.
        line_sums = (
            select(OrderLine.order_id, func.sum(OrderLine.line_total).label("s"))
            .group_by(OrderLine.order_id)
            .subquery()
        )
        mismatched = (
            await session.execute(
                select(func.count())
                .select_from(Order)
                .join(line_sums, line_sums.c.order_id == Order.id)
                .where(line_sums.c.s != Order.total)
            )
        ).scalar_one()
        assert mismatched == 0


async def check_payments(db: Database) -> None:
    async with db.read_session() as session:
        paid = (
            select(Payment.order_id, func.sum(Payment.amount).label("paid"))
            .group_by(Payment.order_id)
            .subquery()
        )
        over = (
            await session.execute(
                select(func.count())
                .select_from(Order)
                .join(paid, paid.c.order_id == Order.id)
                .where(paid.c.paid > Order.total)
            )
        ).scalar_one()
        assert over == 0
        rows = (
            await session.execute(select(Payment, Order).join(Order, Order.id == Payment.order_id))
        ).all()
        assert rows
        full = 0
        for payment, order in rows:
            assert payment.customer_id == order.customer_id
            assert order.status == OrderStatus.DELIVERED
            assert Decimal("0") < payment.amount <= order.total
            assert payment.paid_at > order.created_at
            assert payment.paid_at.date() >= order.order_date - dt.timedelta(days=1)
            assert payment.paid_at <= NOW
            full += payment.amount == order.total
        assert full >= 0.8 * len(rows)  # most pay in full, some in part


async def check_histories(db: Database) -> None:
    async with db.read_session() as session:
        await _check_history(
            session, Order, OrderStatusChange, OrderStatusChange.order_id, OrderStatus
        )
        await _check_history(
            session, Quotation, QuotationStatusChange, QuotationStatusChange.quotation_id,
            QuotationStatus,
        )  # fmt: skip
        orders = (await session.execute(select(Order))).scalars().all()
        statuses = Counter(o.status for o in orders)
        assert statuses[OrderStatus.DELIVERED] > 0.8 * len(orders)
        assert 0.01 * len(orders) <= statuses[OrderStatus.CANCELLED] <= 0.06 * len(orders)
        for order in orders:
            assert order.due_date == order.order_date + dt.timedelta(days=30)
            assert order.created_at.astimezone(IST).date() == order.order_date
            assert order.created_at <= NOW
            assert order.number == format_number(ORDER, int(order.number[4:]))
        quotations = {q.id: q for q in (await session.execute(select(Quotation))).scalars()}
        for order in orders:
            if order.quotation_id is not None:
                quotation = quotations[order.quotation_id]
                assert quotation.status == QuotationStatus.ACCEPTED
                assert quotation.customer_id == order.customer_id
        assert any(o.quotation_id for o in orders)
        changes = (await session.execute(select(QuotationStatusChange))).scalars().all()
        sent = {c.quotation_id: c.changed_at for c in changes if c.to_status == "SENT"}
        for quotation in quotations.values():
            assert quotation.sent_at == sent.get(quotation.id)
            assert quotation.valid_until == (
                quotation.created_at.astimezone(IST).date() + dt.timedelta(days=30)
            )


async def _check_history(session, document, change, key, status_enum) -> None:  # type: ignore[no-untyped-def]
    history = defaultdict(list)
    for row in (await session.execute(select(change).order_by(change.id))).scalars():
        history[getattr(row, key.key)].append(row)
    documents = (await session.execute(select(document))).scalars().all()
    for doc in documents:
        steps = history[doc.id]
        assert steps, doc.id
        assert steps[0].from_status is None
        assert steps[0].changed_at == doc.created_at
        for before, after in pairwise(steps):
            assert after.from_status == before.to_status
            assert after.changed_at >= before.changed_at
        assert status_enum(steps[-1].to_status) == doc.status
        assert doc.updated_at == steps[-1].changed_at
        assert steps[-1].changed_at <= NOW


async def check_credit_history(db: Database) -> None:
    async with db.read_session() as session:
        customers = (await session.execute(select(Customer))).scalars().all()
        history = defaultdict(list)
        for row in (await session.execute(select(CreditLimitHistory))).scalars():
            history[row.customer_id].append(row)
    with_limit = 0
    for customer in customers:
        rows = history[customer.id]
        if customer.credit_limit is None:
            assert rows == []
            continue
        with_limit += 1
        assert len(rows) == 1
        (row,) = rows
        assert row.old_limit is None
        assert row.new_limit == customer.credit_limit
        assert row.reason == "Initial credit limit"
        assert row.changed_at == customer.created_at
    assert 0.6 * len(customers) <= with_limit <= 0.9 * len(customers)


async def check_cached_outstanding(db: Database) -> None:
    """``customers.credit_outstanding`` (when the model has it) matches orders and payments."""
    if "credit_outstanding" not in Customer.__table__.c:
        return
    async with db.read_session() as session:
        orders = (
            await session.execute(select(Order.id, Order.customer_id, Order.total, Order.status))
        ).all()
        paid = dict(
            (await session.execute(
                select(Payment.order_id, func.sum(Payment.amount)).group_by(Payment.order_id)
            )).all()
        )  # fmt: skip
        cached = dict(
            (
                await session.execute(select(Customer.id, Customer.__table__.c.credit_outstanding))
            ).all()
        )
    expected: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for order_id, customer_id, total, status in orders:
        if status != OrderStatus.CANCELLED:
            expected[customer_id] += total - paid.get(order_id, Decimal("0.00"))
    assert any(value > 0 for value in cached.values())
    for customer_id, value in cached.items():
        assert value == expected[customer_id], customer_id


# --------------------------------------------------------------------------------------
# The seeded data set
# --------------------------------------------------------------------------------------


async def test_invariants_hold(seeded: tuple) -> None:
    db, stats, messages = seeded
    await check_invariants(db, stats, CUSTOMERS)
    assert messages and messages[-1].startswith("done")


async def test_users_of_every_role_share_one_password(seeded: tuple) -> None:
    db, _stats, _messages = seeded
    async with db.read_session() as session:
        users = (await session.execute(select(User).order_by(User.id))).scalars().all()
    roles = Counter(u.role for u in users)
    assert roles == {Role.ADMIN: 1, Role.MANAGER: 2, Role.SALES: 5, Role.VIEWER: 2}
    admin = next(u for u in users if u.role == Role.ADMIN)
    assert admin.email == DEMO_ADMIN_EMAIL
    assert len({u.email for u in users}) == len(users)
    for user in users:
        assert user.email == user.email.lower()
        assert user.email.endswith("@sanvi.example")
        assert user.active
        assert user.created_at.tzinfo is not None
    assert len({u.password_hash for u in users}) == 1
    assert await verify_password(admin.password_hash, DEMO_PASSWORD)


async def test_customers_look_like_real_ones(seeded: tuple) -> None:
    db, _stats, _messages = seeded
    async with db.read_session() as session:
        customers = (await session.execute(select(Customer).order_by(Customer.id))).scalars().all()
        sales = set(
            (await session.execute(select(User.id).where(User.role == Role.SALES))).scalars()
        )
        tags = (await session.execute(select(CustomerTag))).scalars().all()
    assert [c.code for c in customers] == [format_number(CUSTOMER, i) for i in range(1, 201)]
    assert {c.business_type for c in customers} == set(BusinessType)
    types = Counter(c.business_type for c in customers)
    assert types.most_common(1)[0][0] == BusinessType.SMALL_BUSINESS
    statuses = Counter(c.status for c in customers)
    assert statuses[CustomerStatus.ACTIVE] > 0.6 * len(customers)
    assert len({c.state for c in customers}) >= 10
    emails = [c.email for c in customers if c.email]
    assert 0.8 * len(customers) <= len(emails) < len(customers)
    assert len(set(emails)) == len(emails)
    tax_ids = [c.tax_id for c in customers if c.tax_id]
    assert len(set(tax_ids)) == len(tax_ids)
    individuals_with_tax_id = 0
    for c in customers:
        assert c.email is None or c.email == c.email.lower()
        assert c.phone is None or PHONE.match(c.phone), c.phone
        if c.tax_id:
            assert GSTIN.match(c.tax_id), c.tax_id
            assert gstin_check_character(c.tax_id[:14]) == c.tax_id[14]
        if c.business_type == BusinessType.INDIVIDUAL:
            individuals_with_tax_id += c.tax_id is not None
        else:
            assert c.tax_id is not None
        assert c.owner_id in sales
        assert c.country == "IN"
        assert c.version == 1
        assert c.created_at.tzinfo is not None and c.created_at < NOW
        assert c.created_at > NOW - dt.timedelta(days=3 * 366)
        assert c.credit_limit is None or c.credit_limit % 1000 == 0
        assert c.search_text == customer_search_text(
            name=c.name, code=c.code, email=c.email, phone=c.phone, tax_id=c.tax_id
        )
    assert individuals_with_tax_id <= 0.4 * types[BusinessType.INDIVIDUAL]
    # Codes follow creation time, as they would had the API created them.
    assert [c.created_at for c in customers] == sorted(c.created_at for c in customers)
    assert {t.tag for t in tags} <= {"key-account", "export", "msme", "priority", "dealer",
                                     "new-plant"}  # fmt: skip
    assert len(tags) > 0.2 * len(customers)


def gstin_check_character(body: str) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    total = 0
    for position, ch in enumerate(body):
        product = alphabet.index(ch) * (2 if position % 2 else 1)
        total += product // 36 + product % 36
    return alphabet[(36 - total % 36) % 36]


async def test_interactions_and_tasks(seeded: tuple) -> None:
    db, _stats, _messages = seeded
    async with db.read_session() as session:
        interactions = {
            i.id: i for i in (await session.execute(select(CustomerInteraction))).scalars()
        }
        tasks = (await session.execute(select(FollowUpTask))).scalars().all()
        owners = dict((await session.execute(select(Customer.id, Customer.owner_id))).all())
    for interaction in interactions.values():
        assert interaction.occurred_at <= NOW
        assert isinstance(interaction.tags, list)
        assert interaction.subject
        if interaction.follow_up_required:
            assert interaction.follow_up_date > interaction.occurred_at.astimezone(IST).date()
        else:
            assert interaction.follow_up_date is None
    statuses = Counter(t.status for t in tasks)
    assert statuses[TaskStatus.COMPLETED] > statuses[TaskStatus.OPEN] > 0
    assert {t.source for t in tasks} == {TaskSource.MANUAL, TaskSource.INTERACTION}
    open_tasks = [t for t in tasks if t.status == TaskStatus.OPEN]
    assert any(t.due_at < NOW for t in open_tasks)  # overdue
    assert any(t.due_at > NOW for t in open_tasks)
    for task in tasks:
        assert task.assignee_id == owners[task.customer_id]
        assert task.created_at <= NOW
        assert task.due_at > task.created_at
        if task.status == TaskStatus.COMPLETED:
            assert task.completed_by_id == task.assignee_id
            assert task.created_at <= task.completed_at <= NOW
            assert task.outcome
        else:
            assert task.completed_at is None and task.completed_by_id is None
        if task.source == TaskSource.INTERACTION:
            interaction = interactions[task.interaction_id]
            assert interaction.customer_id == task.customer_id
            assert interaction.follow_up_required
        else:
            assert task.interaction_id is None


async def test_counters_continue_after_the_seeded_numbers(seeded: tuple) -> None:
    db, stats, _messages = seeded
    async with db.write_session() as session, session.begin():
        assert await next_number(session, CUSTOMER) == format_number(CUSTOMER, CUSTOMERS + 1)
        top_quotation = (await session.execute(select(func.max(Quotation.number)))).scalar()
        top_order = (await session.execute(select(func.max(Order.number)))).scalar()
        assert top_order == format_number(ORDER, stats.orders)
        assert await next_number(session, QUOTATION) > top_quotation
        assert await next_number(session, ORDER) == format_number(ORDER, stats.orders + 1)
        await session.rollback()


async def test_refuses_a_database_that_is_not_empty(
    seeded: tuple, database_url: str, tmp_path: Path
) -> None:
    db, _stats, _messages = seeded
    assert not await database_is_empty(db)
    with pytest.raises(RuntimeError):
        await seed_demo(db, customers=10)
    assert await count(db, Customer) == CUSTOMERS

    async with fresh_database(database_url, tmp_path) as other:
        assert await database_is_empty(other)
        async with other.write_session() as session, session.begin():
            await session.execute(
                insert(User).values(
                    email="someone@example.com", name="Someone", role=Role.ADMIN,
                    password_hash="x", created_at=NOW, updated_at=NOW,
                )
            )  # fmt: skip
        assert not await database_is_empty(other)
        with pytest.raises(RuntimeError):
            await seed_demo(other, customers=10)
        assert await count(other, Customer) == 0


async def test_new_rows_get_ids_after_the_seeded_ones(seeded: tuple) -> None:
    db, stats, _messages = seeded
    # PostgreSQL's sequences were moved past the explicit ids: the API can insert again.
    async with db.write_session() as session, session.begin():
        new_id = (
            await session.execute(
                insert(User)
                .values(
                    email="new.user@sanvi.example", name="New User", role=Role.VIEWER,
                    password_hash="x", created_at=NOW, updated_at=NOW,
                )
                .returning(User.id)
            )
        ).scalar_one()  # fmt: skip
        assert new_id == stats.users + 1
        await session.rollback()


async def test_planner_statistics_are_fresh(seeded: tuple) -> None:
    db, stats, _messages = seeded
    async with db.read_session() as session:
        if db.dialect == "postgresql":
            estimated = (
                await session.execute(
                    text("SELECT reltuples FROM pg_class WHERE relname = 'orders'")
                )
            ).scalar_one()
        else:
            # sqlite_stat1 holds one row per index; its stat starts with the row count.
            stat = (
                await session.execute(
                    text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'orders' LIMIT 1")
                )
            ).scalar_one()
            estimated = int(stat.split()[0])
    assert estimated == stats.orders  # ANALYZE ran


# --------------------------------------------------------------------------------------
# Databases of their own
# --------------------------------------------------------------------------------------


async def test_same_seed_same_rows(database_url: str, tmp_path: Path) -> None:
    async with (
        fresh_database(database_url, tmp_path) as first,
        fresh_database(database_url, tmp_path) as second,
        fresh_database(database_url, tmp_path) as third,
    ):
        a = await seed_demo(first, customers=120, seed=7)
        b = await seed_demo(second, customers=120, seed=7)
        c = await seed_demo(third, customers=120, seed=8)
        assert (a.orders, a.quotations, a.payments) == (b.orders, b.quotations, b.payments)
        snapshots = [await snapshot(db) for db in (first, second, third)]
        assert snapshots[0] == snapshots[1]
        assert snapshots[0] != snapshots[2]
        assert c.customers == 120


async def snapshot(db: Database) -> dict[str, list]:
    tables = {
        "customers": Customer.__table__,
        "orders": Order.__table__,
        "order_lines": OrderLine.__table__,
        "payments": Payment.__table__,
        "quotation_status_changes": QuotationStatusChange.__table__,
        "customer_interactions": CustomerInteraction.__table__,
        "follow_up_tasks": FollowUpTask.__table__,
    }
    async with db.read_session() as session:
        return {
            name: [tuple(r) for r in (await session.execute(select(t).order_by(t.c.id))).all()]
            for name, t in tables.items()
        }


async def test_now_moves_the_whole_data_set(database_url: str, tmp_path: Path) -> None:
    now = dt.datetime(2025, 3, 15, 12, 0, tzinfo=dt.UTC)
    async with fresh_database(database_url, tmp_path) as db:
        stats = await seed_demo(db, customers=50, now=now)
        async with db.read_session() as session:
            latest = [
                (await session.execute(select(func.max(column)))).scalar()
                for column in (
                    Customer.created_at, Order.updated_at, Payment.paid_at,
                    CustomerInteraction.occurred_at, QuotationStatusChange.changed_at,
                )
            ]  # fmt: skip
            earliest = (await session.execute(select(func.min(Customer.created_at)))).scalar()
        assert all(value <= now for value in latest)
        assert earliest >= now - dt.timedelta(days=3 * 366)
        assert stats.customers == 50
        with pytest.raises(ValueError):
            await seed_demo(db, customers=1, now=dt.datetime(2025, 1, 1))


async def test_empty_seed_makes_only_users_and_products(database_url: str, tmp_path: Path) -> None:
    async with fresh_database(database_url, tmp_path) as db:
        stats = await seed_demo(db, customers=0)
        assert (stats.users, stats.products, stats.customers, stats.orders) == (10, 60, 0, 0)
        assert await count(db, Customer) == 0
