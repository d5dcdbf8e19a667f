"""exportCustomers as CSV, read back with the csv module: the importer's headers and value
spellings, RFC 4180 quoting, formula neutralisation, the BOM option, the filter, the
chosen fields and the computed columns. (JSON and XLSX: test_customer_export_formats;
the job itself: test_customer_export_job.)"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from models.enums import BusinessType, Role, SegmentKind
from resolvers.customer_columns import HEADERS, IMPORTABLE
from tests.api.export_support import (
    customer,
    export_file,
    manager,
    scores,
    segment,
    start,
)
from tests.api.segment_fixtures import add_order, today


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))


def csv_records(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))


# Headers, default columns and importable values


async def test_csv_export_has_the_importers_headers_for_the_default_columns(api):
    # given
    await customer(api, "Shree Ganesh Engineering")
    # when
    content = await export_file(api, "CSV")
    # then
    header = csv_rows(content)[0]
    assert header == [
        *(HEADERS[c] for c in IMPORTABLE),
        "Credit Outstanding",
        "Credit Level",
        "Segments",
    ]


async def test_csv_export_writes_importable_columns_as_the_importer_reads_them(api):
    # given
    owner = await api.make_user(Role.SALES, email="rep@sanvi.test")
    created = dt.datetime(2025, 3, 31, 20, 0, tzinfo=dt.UTC)  # 1 April in India
    await customer(
        api,
        "Kaveri Pumps",
        tags=("key-account", "pumps"),
        credit_limit="150000",
        created_at=created,
        owner_id=owner.id,
        email="buy@kaveri.test",
    )
    # when
    [record] = csv_records(await export_file(api, "CSV"))
    # then
    assert record["Tags"] == "key-account; pumps"
    assert record["Credit Limit"] == "150000.00"
    assert record["Owner Email"] == "rep@sanvi.test"
    assert record["Customer Since"] == "2025-04-01"
    assert record["Business Type"] == "SMALL_BUSINESS"
    assert record["Email"] == "buy@kaveri.test"


async def test_csv_export_lines_end_in_crlf_and_quote_what_rfc_4180_requires(api):
    await customer(api, 'Patel, Sons & "Co"', address_line1="Plot 4\nMIDC")
    content = await export_file(api, "CSV", fields=["NAME", "ADDRESS_LINE1"])
    assert content == b'Name,Address Line 1\r\n"Patel, Sons & ""Co""","Plot 4\nMIDC"\r\n'


async def test_an_export_matching_no_customer_has_only_the_header(api):
    content = await export_file(api, "CSV", fields=["CODE", "NAME"])
    assert content == b"Code,Name\r\n"


# Formula neutralisation (CSV) and BOM


async def test_csv_export_neutralises_text_a_spreadsheet_would_execute(api):
    await customer(api, '=HYPERLINK("http://evil.test")', phone="+919812345678", city="@SUM(A1)")
    [record] = csv_records(await export_file(api, "CSV", fields=["NAME", "PHONE", "CITY"]))
    assert record == {
        "Name": '\'=HYPERLINK("http://evil.test")',
        "Phone": "'+919812345678",
        "City": "'@SUM(A1)",
    }


async def test_csv_export_leaves_text_as_it_is_when_neutralisation_is_off(api):
    await customer(api, "=1+2", phone="+919812345678")
    content = await export_file(
        api, "CSV", fields=["NAME", "PHONE"], options={"neutraliseFormulas": False}
    )
    assert csv_records(content) == [{"Name": "=1+2", "Phone": "+919812345678"}]


async def test_csv_neutralisation_never_touches_numbers(api):
    await customer(
        api, "Overpaid Traders", credit_limit="1000", credit_outstanding=Decimal("-12.5")
    )
    [record] = csv_records(await export_file(api, "CSV", fields=["CREDIT_OUTSTANDING"]))
    assert record == {"Credit Outstanding": "-12.50"}


async def test_csv_export_starts_with_a_byte_order_mark_only_when_asked(api):
    await customer(api, "Kaveri Pumps")
    plain = await export_file(api, "CSV", fields=["NAME"])
    for_excel = await export_file(api, "CSV", fields=["NAME"], options={"excelBom": True})
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert for_excel == b"\xef\xbb\xbf" + plain


# Filter, fields and computed columns


async def test_export_includes_only_customers_matching_the_filter(api):
    await customer(api, "Delhi Lathe Works", state="Delhi")
    await customer(api, "Pune Press Tools", state="Maharashtra")
    await customer(api, "Mumbai Mills", state="Maharashtra", business_type=BusinessType.ENTERPRISE)
    content = await export_file(
        api, "CSV", fields=["NAME"], filter={"states": ["MH"], "businessTypes": ["SMALL_BUSINESS"]}
    )
    assert csv_records(content) == [{"Name": "Pune Press Tools"}]


async def test_export_writes_the_chosen_fields_in_the_order_asked_each_once(api):
    await customer(api, "Kaveri Pumps", city="Pune")
    content = await export_file(api, "CSV", fields=["CITY", "NAME", "CITY", "ID"])
    [header, row] = csv_rows(content)
    assert header == ["City", "Name", "ID"]
    assert row[:2] == ["Pune", "Kaveri Pumps"]


async def test_an_empty_field_list_is_a_payload_error(api):
    client = await manager(api)
    payload = await start(client, "CSV", fields=[])
    assert payload["job"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("fields", "VALIDATION_ERROR")]


async def test_export_writes_computed_columns(api):
    # given
    kaveri = await customer(api, "Kaveri Pumps", credit_limit="10000")
    await add_order(api, kaveri, "8000.00", on=today())
    await segment(api, "Key Accounts", SegmentKind.CUSTOM, kaveri)
    await segment(api, "Maharashtra", SegmentKind.LOCATION, kaveri)
    await scores(api, kaveri, score=72, predicted_value="55000.50")
    plain = await customer(api, "New Prospect")
    fields = [
        "NAME",
        "CREDIT_OUTSTANDING",
        "CREDIT_LEVEL",
        "SEGMENTS",
        "RELATIONSHIP_SCORE",
        "LIFETIME_VALUE",
    ]
    # when
    records = csv_records(await export_file(api, "CSV", fields=fields))
    # then
    assert records == [
        {
            "Name": "Kaveri Pumps",
            "Credit Outstanding": "8000.00",
            "Credit Level": "WARNING",
            "Segments": "Key Accounts; Maharashtra",  # by kind, then key
            "Relationship Score": "72",
            "Predicted Lifetime Value": "55000.50",
        },
        {
            "Name": "New Prospect",
            "Credit Outstanding": "0.00",
            "Credit Level": "NO_LIMIT",
            "Segments": "",
            "Relationship Score": "",
            "Predicted Lifetime Value": "",
        },
    ]
    assert plain > kaveri  # rows come by id


async def test_a_csv_starting_with_the_id_column_quotes_its_header_for_excel(api):
    # Excel mistakes a file whose first bytes are "ID" for a SYLK file.
    customer_id = await customer(api, "Kaveri Pumps")
    content = await export_file(api, "CSV", fields=["ID", "NAME"])
    assert content == f'"ID","Name"\r\n{customer_id},Kaveri Pumps\r\n'.encode()
