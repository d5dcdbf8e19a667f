"""The rows an export streams: keyset batches by id, and driver rows read as
SQLAlchemy would read them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from models import Customer
from models.enums import BusinessType
from resolvers.config import CreditThresholds, DomainConfig
from resolvers.customer_columns import CustomerColumn
from resolvers.export_raw import fetch_columns
from resolvers.export_rows import ExportScope, export_batches
from tests.api.export_support import (
    customer,
)

# Streaming


async def test_rows_stream_in_keyset_batches_by_ascending_id(api):
    ids = [await customer(api, f"Customer {i}") for i in range(5)]
    scope = ExportScope(
        columns=(CustomerColumn.NAME,),
        flt=None,
        timezone=DomainConfig().timezone,
        thresholds=CreditThresholds(),
        batch_size=2,
    )
    sizes, seen = [], []
    async for batch in export_batches(api.db.read_session, scope):
        sizes.append(batch.size)
        seen.extend(batch.values[CustomerColumn.NAME])
    assert sizes == [2, 2, 1]
    assert seen == [f"Customer {i}" for i in range(5)]
    assert ids == sorted(ids)


async def test_raw_customer_columns_equal_what_sqlalchemy_reads(api):
    # given
    created = dt.datetime(2025, 3, 31, 20, 0, 5, 123456, tzinfo=dt.UTC)
    await customer(
        api,
        "Kaveri Pumps",
        credit_limit="150000",
        created_at=created,
        credit_outstanding=Decimal("-12.5"),
    )
    await customer(api, "No Limit Traders", business_type=BusinessType.GOVERNMENT)
    c = Customer.__table__.c
    statement = select(
        c.id, c.name, c.business_type, c.status, c.credit_limit, c.credit_outstanding
    ).add_columns(c.created_at, c.updated_at)
    # when
    async with api.db.read_session() as session:
        raw = await fetch_columns(session, statement.order_by(c.id))
        rows = (await session.execute(statement.order_by(c.id))).all()
    # then: the same values, money with the same exponent, enums as their values
    for name, values in raw.items():
        expected = [getattr(row, name) for row in rows]
        if name in ("business_type", "status"):
            expected = [v.value for v in expected]
        assert [str(v) for v in values] == [str(v) for v in expected], name
        assert list(values) == expected, name
