"""An exported CSV re-imports unchanged: the importer's own header mapping and row parser
(resolvers/import_rows) read back exactly the values the customers have."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from sqlalchemy import select

from models import Customer
from models.enums import BusinessType, CustomerStatus, Role
from resolvers.config import DomainConfig
from resolvers.customer_columns import CustomerColumn
from resolvers.import_rows import RowParser, RowRules, map_columns
from resolvers.import_values import DEFAULT_DATE_FORMATS
from tests.api.export_support import customer, export_file

CONFIG = DomainConfig()


def parser_for(headers: list[str], owners: dict[str, int]) -> RowParser:
    rules = RowRules(
        mapping=map_columns(headers),
        date_formats=DEFAULT_DATE_FORMATS,
        timezone=CONFIG.timezone,
        owners=owners,
        default_business_type=None,
        reverse_neutralisation=True,
        today=CONFIG.today(),
    )
    return RowParser(rules)


async def test_an_exported_csv_parses_back_to_the_customers_values(api):
    # given: values that exercise quoting, neutralisation, lists, money, dates and owners
    owner = await api.make_user(Role.SALES, email="rep@sanvi.test")
    created = dt.datetime(2025, 3, 31, 20, 0, tzinfo=dt.UTC)  # 1 April in India
    customer_id = await customer(
        api,
        '=Patel, Sons & "Co"',
        business_type=BusinessType.ENTERPRISE,
        tags=("key-account", "pumps"),
        credit_limit="150000.50",
        created_at=created,
        owner_id=owner.id,
        email="buy@patelsons.co.in",
        phone="+919812345678",
        address_line1='Plot 4, MIDC "Phase 2"',
        city="Pune",
        state="Maharashtra",
        postal_code="411001",
        status=CustomerStatus.PROSPECT,
    )
    # when
    content = await export_file(api, "CSV")
    header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))
    parser = parser_for(header, {"rep@sanvi.test": owner.id})
    [parsed] = [parser.parse(n, cells) for n, cells in enumerate(rows, start=2)]
    # then
    assert parsed.errors == []
    async with api.db.read_session() as session:
        stored = (
            await session.execute(select(*Customer.__table__.c).where(Customer.id == customer_id))
        ).one()
    values = parsed.values
    for key in ("code", "name", "email", "phone", "address_line1", "city", "state"):
        assert values[key] == getattr(stored, key), key
    assert values["postal_code"] == stored.postal_code
    assert values["business_type"] is BusinessType.ENTERPRISE
    assert values["status"] is CustomerStatus.PROSPECT
    assert sorted(values["tags"]) == ["key-account", "pumps"]
    assert values["credit_limit"] == Decimal("150000.50")
    assert values["owner_id"] == owner.id
    assert values["created_at"].astimezone(CONFIG.timezone).date() == dt.date(2025, 4, 1)


async def test_the_computed_columns_are_left_to_the_importer_to_ignore(api):
    await customer(api, "Kaveri Pumps")
    fields = ["NAME", "BUSINESS_TYPE", "CREDIT_OUTSTANDING", "CREDIT_LEVEL", "SEGMENTS"]
    content = await export_file(api, "CSV", fields=fields)
    header = next(csv.reader(io.StringIO(content.decode("utf-8"))))
    mapping = map_columns(header)
    assert set(mapping.columns) == {CustomerColumn.NAME, CustomerColumn.BUSINESS_TYPE}
    assert mapping.unknown == ["Credit Outstanding", "Credit Level", "Segments"]
