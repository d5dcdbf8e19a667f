"""JSON and XLSX exports read back with json and openpyxl: typed values, escaping,
styling, typed cells, text kept as text, widths, the summary sheet and its chart."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import openpyxl

from models.enums import BusinessType, OrderStatus, SegmentKind
from tests.api.export_support import (
    customer,
    export_file,
    scores,
    segment,
)
from tests.api.segment_fixtures import add_order, today

# JSON


async def test_json_export_is_one_array_of_objects_with_typed_values(api):
    created = dt.datetime(2025, 3, 31, 20, 0, tzinfo=dt.UTC)
    kaveri = await customer(
        api, "Kaveri Pumps", tags=("pumps",), credit_limit="150000", created_at=created
    )
    await scores(api, kaveri, score=72, predicted_value="55000.50")
    fields = [
        "ID",
        "NAME",
        "TAGS",
        "CREDIT_LIMIT",
        "CUSTOMER_SINCE",
        "RELATIONSHIP_SCORE",
        "LIFETIME_VALUE",
        "CREATED_AT",
        "EMAIL",
    ]
    content = await export_file(api, "JSON", fields=fields)
    assert json.loads(content) == [
        {
            "id": kaveri,
            "name": "Kaveri Pumps",
            "tags": ["pumps"],
            "creditLimit": "150000.00",
            "customerSince": "2025-04-01",
            "relationshipScore": 72,
            "predictedLifetimeValue": "55000.50",
            "createdAt": "2025-03-31T20:00:00+00:00",
            "email": None,
        }
    ]


async def test_json_export_escapes_any_text(api):
    awkward = 'Shree "Ganesh" \\ Works\n\t\x01 ₹ 100% %s {"a":1}'
    await customer(api, awkward, tags=("a", "b"))
    await customer(api, "Second")
    content = await export_file(api, "JSON", fields=["NAME", "TAGS", "CITY"])
    assert json.loads(content) == [
        {"name": awkward, "tags": ["a", "b"], "city": None},
        {"name": "Second", "tags": [], "city": None},
    ]


async def test_an_empty_json_export_is_an_empty_array(api):
    assert json.loads(await export_file(api, "JSON")) == []


# XLSX


async def _workbook(api, **variables) -> openpyxl.Workbook:
    content = await export_file(api, "XLSX", **variables)
    return openpyxl.load_workbook(io.BytesIO(content))


async def test_xlsx_export_has_a_styled_frozen_filterable_header(api):
    await customer(api, "Kaveri Pumps")
    await customer(api, "Delhi Lathe Works")
    sheet = (await _workbook(api, fields=["CODE", "NAME", "CITY"]))["Customers"]
    assert [c.value for c in sheet[1]] == ["Code", "Name", "City"]
    assert sheet["A1"].font.b
    assert sheet["A1"].fill.fgColor.rgb.endswith("1F4E78")
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"


async def test_xlsx_export_writes_money_numbers_and_dates_as_typed_cells(api):
    created = dt.datetime(2025, 3, 31, 20, 0, tzinfo=dt.UTC)
    kaveri = await customer(api, "Kaveri Pumps", credit_limit="150000", created_at=created)
    await scores(api, kaveri, score=72, predicted_value="55000.50")
    fields = ["CREDIT_LIMIT", "RELATIONSHIP_SCORE", "CUSTOMER_SINCE", "CREATED_AT"]
    sheet = (await _workbook(api, fields=fields))["Customers"]
    limit, score, since, created_cell = sheet[2]
    assert (limit.value, limit.number_format) == (150000, '"₹"#,##0.00')
    assert (score.data_type, score.value) == ("n", 72)
    assert (since.value, since.number_format) == (dt.datetime(2025, 4, 1), "yyyy-mm-dd")
    assert created_cell.value == dt.datetime(2025, 3, 31, 20, 0)


async def test_xlsx_export_keeps_formula_and_link_like_text_as_text(api):
    await customer(api, "=1+2", city="http://evil.test", phone="+919812345678")
    sheet = (await _workbook(api, fields=["NAME", "CITY", "PHONE"]))["Customers"]
    cells = sheet[2]
    assert [(c.data_type, c.value) for c in cells] == [
        ("s", "=1+2"),
        ("s", "http://evil.test"),
        ("s", "+919812345678"),
    ]
    assert not sheet._hyperlinks


async def test_xlsx_column_widths_follow_the_longest_value(api):
    long_name = "Sri Venkateswara Precision Engineering Private Limited"
    await customer(api, long_name)
    await customer(api, "Kaveri Pumps")
    sheet = (await _workbook(api, fields=["NAME", "CITY"]))["Customers"]
    assert sheet.column_dimensions["A"].width >= len(long_name)
    assert sheet.column_dimensions["B"].width < 20


async def test_xlsx_summary_sheet_counts_and_values_customers_by_segment_and_type(api):
    # given
    kaveri = await customer(api, "Kaveri Pumps")
    delhi = await customer(api, "Delhi Lathe Works", business_type=BusinessType.ENTERPRISE)
    pune = await customer(api, "Pune Press Tools")
    await add_order(api, kaveri, "1000.00", on=today())
    await add_order(api, kaveri, "500.00", on=today(), status=OrderStatus.CANCELLED)
    await add_order(api, delhi, "2500.00", on=today())
    await segment(api, "Key Accounts", SegmentKind.CUSTOM, kaveri, delhi)
    # when
    book = await _workbook(api, fields=["NAME"])
    # then
    summary = book["Summary"]
    rows = [tuple(c.value for c in row) for row in summary.iter_rows()]
    assert ("Customers", 3, None, None) in rows
    assert ("Value", None, 3500, None) in rows
    assert ("Enterprise", 1, 2500, None) in rows
    assert ("Small Business", 2, 1000, None) in rows
    assert ("Key Accounts", 2, 3500, "Custom") in rows
    assert pune not in (kaveri, delhi)


async def test_xlsx_summary_sheet_has_a_chart(api):
    kaveri = await customer(api, "Kaveri Pumps")
    await segment(api, "Key Accounts", SegmentKind.CUSTOM, kaveri)
    content = await export_file(api, "XLSX")
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert "xl/charts/chart1.xml" in names
    assert openpyxl.load_workbook(io.BytesIO(content)).sheetnames == ["Customers", "Summary"]
