"""The customer import's behaviours (issue #8), one per test, through the real app: duplicate
matching and policies, error policies and dry runs, the error report, idempotent
re-imports, credit history, undo, categorisation, permissions, payload errors and
concurrent imports."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

import openpyxl
import xlsxwriter
from sqlalchemy import select, update

from models import (
    CreditLimitHistory,
    Customer,
    CustomerImportChange,
    CustomerTag,
    ImportRowError,
    Job,
    Order,
)
from models.enums import BusinessType, CustomerStatus, InteractionKind, OrderStatus, Role
from resolvers import customer_import
from schema.context import Context
from tests.api import segment_fixtures as fx
from tests.api.export_support import export_file
from tests.api.export_support import start as start_export
from tests.api.import_support import (
    CSRF,
    IMPORT_CUSTOMERS,
    counts,
    download,
    import_details,
    manager_token,
    row_errors,
    run_import_details,
    upload,
)
from tests.contract_checks.operations import operation
from tests.support import error_codes

HEADER = "Name,Business Type,Code,Email,Phone,Tax ID,State,Credit Limit,Tags"
UPDATE_CUSTOMER = operation("UpdateCustomer")
UNDO = """mutation($jobId: ID!) { undoImport(jobId: $jobId) {
    job { id undoneAt } removedCount restoredCount
    leftAlone { customerId code reason }
    errors { field message code } } }"""
IMPORT_JOB_BY_ID = """query($id: ID!) { importJob(id: $id) { id } }"""


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    """A workbook of typed cells: text stays text (even "=…"), dates are date cells."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    sheet = book.add_worksheet("Customers")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.datetime):
                sheet.write_datetime(r, c, value, day)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    return out.getvalue()


def errors_of(job: dict[str, Any]) -> list[tuple[int, str | None, str | None, str]]:
    return [(e["row"], e["column"], e["field"], e["code"]) for e in row_errors(job)]


async def add_customer(
    api: Any,
    code: str,
    name: str,
    *,
    email: str | None = None,
    tax_id: str | None = None,
    phone: str | None = None,
    credit_limit: str | None = None,
    business_type: BusinessType = BusinessType.SMALL_BUSINESS,
    tags: tuple[str, ...] = (),
) -> int:
    async with api.db.write_session() as session:
        customer = Customer(
            code=code,
            name=name,
            email=email,
            tax_id=tax_id,
            phone=phone,
            credit_limit=Decimal(credit_limit) if credit_limit else None,
            business_type=business_type,
            status=CustomerStatus.ACTIVE,
            country="IN",
            search_text=name.lower(),
            version=1,
        )
        session.add(customer)
        await session.flush()
        for tag in tags:
            session.add(CustomerTag(customer_id=customer.id, tag=tag))
        await session.commit()
        return customer.id


async def customers(api: Any) -> dict[str, Customer]:
    async with api.db.read_session() as session:
        rows = (await session.scalars(select(Customer))).all()
    return {c.code: c for c in rows}


async def tags_of(api: Any, customer_id: int) -> list[str]:
    async with api.db.read_session() as session:
        rows = await session.scalars(
            select(CustomerTag.tag).where(CustomerTag.customer_id == customer_id)
        )
        return sorted(rows.all())


async def undo(api: Any, token: str, job_id: str) -> dict[str, Any]:
    return (await api.client.as_user(token).data(UNDO, {"jobId": job_id}))["undoImport"]


# ---------------------------------------------------------------------- matching


async def test_match_on_cascade_finds_customers_by_code_then_tax_id_then_email(api):
    # given three customers, each findable by one key only
    await add_customer(api, "BY-CODE", "By Code")
    await add_customer(api, "BY-TAX", "By Tax", tax_id="27AAPFU0939F1ZV")
    await add_customer(api, "BY-MAIL", "By Mail", email="mail@cascade.in")
    content = csv_bytes(
        "Code Renamed,SME,by-code,,,,,,",
        "Tax Renamed,SME,,,,27aapfu0939f1zv,,,",
        "Mail Renamed,SME,,MAIL@cascade.in,,,,,",
    )
    # when
    job = await run_import_details(api, content, options={"onDuplicate": "UPDATE"})
    # then each row updated the customer its key found
    assert counts(job) == (0, 3, 0, 0, 0), row_errors(job)
    names = {code: c.name for code, c in (await customers(api)).items()}
    assert names == {"BY-CODE": "Code Renamed", "BY-TAX": "Tax Renamed", "BY-MAIL": "Mail Renamed"}


async def test_the_first_key_of_the_cascade_that_matches_decides_the_customer(api):
    # given a customer whose code and email the row both carry: one customer, no ambiguity
    await add_customer(api, "ONE-1", "One", email="one@cascade.in", tax_id="ONEPAN1234")
    content = csv_bytes("One Renamed,SME,ONE-1,one@cascade.in,,ONEPAN1234,,,")
    job = await run_import_details(api, content, options={"onDuplicate": "UPDATE"})
    assert counts(job) == (0, 1, 0, 0, 0), row_errors(job)
    assert (await customers(api))["ONE-1"].name == "One Renamed"


async def test_a_custom_match_on_uses_only_the_keys_it_names(api):
    # given a customer with a code and an email
    await add_customer(api, "MO-1", "Match On", email="mo@match.in")
    content = csv_bytes(
        # matched by nothing (codes are not looked at) yet taking MO-1's code: refused
        "Code Only,SME,MO-1,fresh@match.in,,,,,",
        # matched by email
        "Email Only,SME,,mo@match.in,,,,,",
    )
    job = await run_import_details(api, content, options={"matchOn": ["EMAIL"]})
    assert counts(job) == (0, 0, 0, 1, 1), row_errors(job)
    assert errors_of(job) == [(2, "Code", "code", "DUPLICATE")]
    assert set(await customers(api)) == {"MO-1"}


async def test_a_row_matching_two_customers_through_different_keys_is_ambiguous(api):
    await add_customer(api, "TX-1", "Has Tax", tax_id="TAXONE1234")
    await add_customer(api, "EM-1", "Has Email", email="em@amb.in")
    content = csv_bytes("Both,SME,,em@amb.in,,TAXONE1234,,,")
    job = await run_import_details(api, content, options={"onDuplicate": "UPDATE"})
    assert counts(job) == (0, 0, 0, 0, 1)
    assert errors_of(job) == [(2, None, None, "AMBIGUOUS")]
    found = await customers(api)
    assert (found["TX-1"].name, found["EM-1"].name) == ("Has Tax", "Has Email")
    assert (found["TX-1"].version, found["EM-1"].version) == (1, 1)


async def test_the_same_key_twice_in_a_file_is_reported_on_the_second_occurrence(api):
    # given an existing customer both rows match by code
    await add_customer(api, "TW-1", "Twice")
    content = csv_bytes("First Change,SME,TW-1,,,,,,", "Second Change,SME,tw-1,,,,,,")
    job = await run_import_details(api, content, options={"onDuplicate": "UPDATE"})
    assert counts(job) == (0, 1, 0, 0, 1)
    assert errors_of(job) == [(3, "Code", "code", "DUPLICATE_IN_FILE")]
    assert "Row 2" in row_errors(job)[0]["message"]
    assert (await customers(api))["TW-1"].name == "First Change"


async def test_an_update_cannot_take_another_customers_email(api):
    await add_customer(api, "KEEP-1", "Keeper", email="keeper@clash.in")
    await add_customer(api, "MOVE-1", "Mover", email="mover@clash.in")
    # matched by code only (by email too, it would be AMBIGUOUS)
    content = csv_bytes("Mover,SME,MOVE-1,keeper@clash.in,,,,,")
    job = await run_import_details(
        api, content, options={"onDuplicate": "UPDATE", "matchOn": ["CODE"]}
    )
    assert counts(job) == (0, 0, 0, 0, 1)
    assert errors_of(job) == [(2, "Email", "email", "DUPLICATE")]
    assert (await customers(api))["MOVE-1"].email == "mover@clash.in"


# ---------------------------------------------------------------------- duplicate policies


async def test_on_duplicate_skip_leaves_the_matched_customer_untouched(api):
    await add_customer(api, "SK-1", "Skipped", phone="+919820012345")
    content = csv_bytes(
        "Skipped Renamed,Enterprise,SK-1,,98450 12345,,,,", "New One,SME,SK-2,,,,,,"
    )
    job = await run_import_details(api, content, options={"onDuplicate": "SKIP"})
    assert counts(job) == (1, 0, 0, 1, 0)
    skipped = (await customers(api))["SK-1"]
    assert (skipped.name, skipped.phone, skipped.version) == ("Skipped", "+919820012345", 1)
    assert skipped.business_type is BusinessType.SMALL_BUSINESS


async def test_skip_is_the_default_duplicate_policy(api):
    await add_customer(api, "DF-1", "Default")
    job = await run_import_details(api, csv_bytes("Default Renamed,SME,DF-1,,,,,,"))
    assert counts(job) == (0, 0, 0, 1, 0)
    assert (await customers(api))["DF-1"].name == "Default"


async def test_on_duplicate_fail_makes_each_match_a_row_error(api):
    await add_customer(api, "FL-1", "Fails", email="fails@dup.in")
    content = csv_bytes(
        "Fails Again,SME,FL-1,,,,,,", "By Email,SME,,fails@dup.in,,,,,", "Fresh,SME,FL-3,,,,,,"
    )
    job = await run_import_details(api, content, options={"onDuplicate": "FAIL"})
    assert counts(job) == (1, 0, 0, 0, 2)
    assert errors_of(job) == [(2, None, None, "DUPLICATE"), (3, None, None, "DUPLICATE")]
    assert (await customers(api))["FL-1"].name == "Fails"


async def test_update_changes_only_the_changed_fields_and_bumps_the_version(api):
    # given a customer with a name, email, phone and tags
    await add_customer(
        api,
        "UP-1",
        "Updated Ltd",
        email="keep@up.in",
        phone="+919820012345",
        tags=("vip",),
    )
    # when the file changes the phone and state, leaves email blank and repeats the name
    content = csv_bytes("Updated Ltd,SME,UP-1,,98450 12345,,KA,,vip")
    job = await run_import_details(api, content, options={"onDuplicate": "UPDATE"})
    # then
    assert counts(job) == (0, 1, 0, 0, 0), row_errors(job)
    customer = (await customers(api))["UP-1"]
    assert (customer.name, customer.email, customer.phone, customer.state) == (
        "Updated Ltd",
        "keep@up.in",
        "+919845012345",
        "Karnataka",
    )
    assert customer.version == 2
    assert await tags_of(api, customer.id) == ["vip"]
    async with api.db.read_session() as session:
        change = await session.scalar(select(CustomerImportChange))
    assert set(change.before) == {"phone", "state"}


async def test_an_unchanged_row_in_update_mode_is_counted_unchanged_and_not_written(api):
    await add_customer(api, "UC-1", "Same Ltd", email="same@uc.in")
    job = await run_import_details(
        api, csv_bytes("Same Ltd,SME,UC-1,SAME@uc.in,,,,,"), options={"onDuplicate": "UPDATE"}
    )
    assert counts(job) == (0, 0, 1, 0, 0)
    assert (await customers(api))["UC-1"].version == 1


async def test_reimporting_the_same_file_in_update_mode_is_idempotent(api):
    content = csv_bytes(
        'Idem One,Enterprise,ID-1,one@idem.in,98200 12345,27AAPFU0939F1ZV,MH,"1,00,000",vip;export',
        "Idem Two,SME,ID-2,,+91 98450 12345,,tamil nadu,2500.50,",
        "Idem Three,Govt,,three@idem.in,,,,,Key Account",
        header=HEADER,
    )
    options = {"onDuplicate": "UPDATE"}
    token = await manager_token(api)
    first = await run_import_details(api, content, token=token, options=options)
    assert counts(first) == (3, 0, 0, 0, 0), row_errors(first)
    before = {code: c.version for code, c in (await customers(api)).items()}
    # when the very same file comes again
    second = await run_import_details(api, content, token=token, options=options)
    # then every row is unchanged and nothing moved
    assert counts(second) == (0, 0, 3, 0, 0), row_errors(second)
    assert {code: c.version for code, c in (await customers(api)).items()} == before
    async with api.db.read_session() as session:
        history = (await session.scalars(select(CreditLimitHistory))).all()
    assert len(history) == 2


async def test_reimporting_an_xlsx_in_update_mode_is_idempotent(api):
    content = xlsx_bytes(
        [
            ["Name", "Business Type", "Code", "Phone", "Credit Limit", "Customer Since"],
            ["Book One", "SME", "BK-1", 9820012345, 100000, dt.datetime(2023, 5, 6)],
            ["Book Two", "Enterprise", 1002, None, 2500.5, None],
        ]
    )
    options = {"onDuplicate": "UPDATE"}
    token = await manager_token(api)
    first = await run_import_details(api, content, token=token, filename="c.xlsx", options=options)
    assert counts(first) == (2, 0, 0, 0, 0), row_errors(first)
    second = await run_import_details(api, content, token=token, filename="c.xlsx", options=options)
    assert counts(second) == (0, 0, 2, 0, 0), row_errors(second)


async def test_a_credit_limit_changed_by_import_writes_history_naming_the_job(api):
    token = await manager_token(api)
    first = await run_import_details(api, csv_bytes("Limit Ltd,SME,CL-1,,,,,5000,"), token=token)
    second = await run_import_details(
        api,
        csv_bytes('Limit Ltd,SME,CL-1,,,,,"7,500",'),
        token=token,
        options={"onDuplicate": "UPDATE"},
    )
    assert counts(second) == (0, 1, 0, 0, 0)
    async with api.db.read_session() as session:
        history = (
            await session.scalars(select(CreditLimitHistory).order_by(CreditLimitHistory.id))
        ).all()
    assert [(h.old_limit, h.new_limit, h.reason) for h in history] == [
        (None, Decimal("5000.00"), f"import {first['id']}"),
        (Decimal("5000.00"), Decimal("7500.00"), f"import {second['id']}"),
    ]
    assert all(h.changed_by_id is not None for h in history)


# ---------------------------------------------------------------------- error policies, dry run


async def test_reject_everything_writes_nothing_when_one_row_fails(api):
    content = csv_bytes("Good One,SME,RE-1,,,,,,", "Bad One,SME,RE-2,not-an-email,,,,,")
    job = await run_import_details(api, content, options={"errorPolicy": "REJECT_EVERYTHING"})
    assert job["status"] == "SUCCEEDED"
    assert job["written"] is False
    assert job["failedCount"] == 1
    assert job["createdCount"] == 0
    assert errors_of(job) == [(3, "Email", "email", "VALIDATION_ERROR")]
    assert job["errorReportUrl"]
    assert await customers(api) == {}


async def test_reject_everything_writes_every_row_when_none_fails(api):
    content = csv_bytes("Good One,SME,RA-1,,,,,,", "Good Two,SME,RA-2,,,,,,")
    job = await run_import_details(api, content, options={"errorPolicy": "REJECT_EVERYTHING"})
    assert (job["written"], counts(job)) == (True, (2, 0, 0, 0, 0))
    assert set(await customers(api)) == {"RA-1", "RA-2"}


async def test_reject_failed_rows_is_the_default_and_writes_the_good_rows(api):
    content = csv_bytes("Good One,SME,RF-1,,,,,,", "Bad One,SME,RF-2,not-an-email,,,,,")
    job = await run_import_details(api, content)
    assert (job["written"], counts(job)) == (True, (1, 0, 0, 0, 1))
    assert set(await customers(api)) == {"RF-1"}


async def test_a_dry_run_reports_every_outcome_and_writes_nothing(api):
    # given customers the file would update, leave unchanged and (under SKIP) skip
    await add_customer(api, "DR-1", "Will Change")
    await add_customer(api, "DR-2", "Stays Same")
    content = csv_bytes(
        "Changed Name,SME,DR-1,,,,,5000,",
        "Stays Same,SME,DR-2,,,,,,",
        "Brand New,SME,DR-3,,,,,1000,vip",
        "Broken,SME,DR-4,not-an-email,,,,,",
    )
    token = await manager_token(api)
    job = await run_import_details(
        api, content, token=token, options={"dryRun": True, "onDuplicate": "UPDATE"}
    )
    assert (job["dryRun"], job["written"]) == (True, False)
    assert counts(job) == (1, 1, 1, 0, 1)
    assert errors_of(job) == [(5, "Email", "email", "VALIDATION_ERROR")]
    skip = await run_import_details(api, content, token=token, options={"dryRun": True})
    assert counts(skip) == (1, 0, 0, 2, 1)
    # and nothing was written
    found = await customers(api)
    assert set(found) == {"DR-1", "DR-2"}
    assert (found["DR-1"].name, found["DR-1"].version) == ("Will Change", 1)
    async with api.db.read_session() as session:
        assert (await session.scalars(select(CreditLimitHistory))).all() == []
        assert (await session.scalars(select(CustomerImportChange))).all() == []
        assert (await session.scalars(select(CustomerTag))).all() == []


# ---------------------------------------------------------------------- error report


async def test_the_csv_error_report_has_the_original_columns_plus_error_and_reimports_fixed(api):
    header = "Customer Name,Type,Code,E-mail,Notes"
    content = csv_bytes(
        "Fine Ltd,SME,ER-1,,first",
        "=SUM(1+1),SME,ER-2,broken@,formula name",
        'Multi Line,SME,ER-3,also@broken@,"two\nlines"',
        header=header,
    )
    token = await manager_token(api)
    job = await run_import_details(api, content, token=token)
    assert counts(job) == (1, 0, 0, 0, 2)
    assert job["errorReportUrl"]
    report = await download(api, job["errorReportUrl"])
    rows = list(csv.reader(io.StringIO(report.decode("utf-8-sig"))))
    # then the failed rows, in their original columns, plus an error column
    assert rows[0] == ["Customer Name", "Type", "Code", "E-mail", "Notes", "error"]
    assert [r[:5] for r in rows[1:]] == [
        ["'=SUM(1+1)", "SME", "ER-2", "broken@", "formula name"],
        ["Multi Line", "SME", "ER-3", "also@broken@", "two\nlines"],
    ]
    assert all("E-mail" in r[5] for r in rows[1:])
    # when the user fixes the emails and uploads the report as it is
    fixed = report.replace(b"also@broken@", b"fixed3@report.in").replace(
        b"broken@", b"fixed2@report.in"
    )
    again = await run_import_details(api, fixed, token=token, filename="customers-errors.csv")
    # then both rows are created, the neutralised name read back as typed
    assert counts(again) == (2, 0, 0, 0, 0), row_errors(again)
    assert again["unknownColumns"] == ["Notes", "error"]
    found = await customers(api)
    assert found["ER-2"].name == "=SUM(1+1)"
    assert found["ER-3"].email == "fixed3@report.in"


async def test_the_csv_error_report_keeps_the_files_delimiter(api):
    content = csv_bytes(
        "Semi Good;SME;SD-1;", "Semi Bad;SME;SD-2;bad@", header="Name;Business Type;Code;Email"
    )
    job = await run_import_details(api, content)
    report = (await download(api, job["errorReportUrl"])).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(report), delimiter=";"))
    assert rows[0] == ["Name", "Business Type", "Code", "Email", "error"]
    assert rows[1][:4] == ["Semi Bad", "SME", "SD-2", "bad@"]


async def test_the_xlsx_error_report_is_a_workbook_that_reimports_once_fixed(api):
    content = xlsx_bytes(
        [
            ["Name", "Business Type", "Code", "Email", "Credit Limit"],
            ["Book Good", "SME", "XR-1", None, 1000],
            ["Book Bad", "SME", "XR-2", "nope@", 2000],
            ['=HYPERLINK("x")', "Alien", "XR-3", None, None],
        ]
    )
    token = await manager_token(api)
    job = await run_import_details(api, content, token=token, filename="book.xlsx")
    assert counts(job) == (1, 0, 0, 0, 2)
    report = await download(api, job["errorReportUrl"])
    assert report.startswith(b"PK")
    book = openpyxl.load_workbook(io.BytesIO(report))
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Name", "Business Type", "Code", "Email", "Credit Limit", "error"]
    assert [[cell or "" for cell in r[:5]] for r in rows[1:]] == [
        ["Book Bad", "SME", "XR-2", "nope@", "2000"],
        ['=HYPERLINK("x")', "Alien", "XR-3", "", ""],
    ]
    assert all(r[5] for r in rows[1:])
    # fix and re-import the report as it is
    sheet.cell(row=2, column=4, value="fixed@book.in")
    sheet.cell(row=3, column=2, value="Enterprise")
    out = io.BytesIO()
    book.save(out)
    again = await run_import_details(api, out.getvalue(), token=token, filename="book-errors.xlsx")
    assert counts(again) == (2, 0, 0, 0, 0), row_errors(again)
    found = await customers(api)
    assert found["XR-2"].credit_limit == Decimal("2000.00")
    assert found["XR-3"].name == '=HYPERLINK("x")'


async def test_an_import_without_failed_rows_has_no_error_report(api):
    job = await run_import_details(api, csv_bytes("Clean,SME,NR-1,,,,,,"))
    assert job["errorReportUrl"] is None


# ---------------------------------------------------------------------- undo


async def test_undo_removes_created_customers_and_restores_updated_ones(api):
    # given a customer the import will change, with a limit and tags
    existing = await add_customer(
        api, "UN-1", "Before", email="before@undo.in", credit_limit="1000", tags=("old",)
    )
    content = csv_bytes(
        "After,Enterprise,UN-1,after@undo.in,,,KA,2000,new",
        "Created,SME,UN-2,,,,,3000,",
    )
    token = await manager_token(api)
    job = await run_import_details(api, content, token=token, options={"onDuplicate": "UPDATE"})
    assert counts(job) == (1, 1, 0, 0, 0), row_errors(job)
    # when
    result = await undo(api, token, job["id"])
    # then
    assert result["errors"] == []
    assert (result["removedCount"], result["restoredCount"], result["leftAlone"]) == (1, 1, [])
    assert result["job"]["undoneAt"]
    found = await customers(api)
    assert set(found) == {"UN-1"}
    restored = found["UN-1"]
    assert (restored.name, restored.email, restored.state, restored.credit_limit) == (
        "Before",
        "before@undo.in",
        None,
        Decimal("1000.00"),
    )
    assert restored.business_type is BusinessType.SMALL_BUSINESS
    assert await tags_of(api, existing) == ["old"]
    async with api.db.read_session() as session:
        reasons = (
            await session.scalars(
                select(CreditLimitHistory.reason).where(CreditLimitHistory.customer_id == existing)
            )
        ).all()
    assert sorted(reasons) == sorted([f"import {job['id']}", f"undo import {job['id']}"])


async def test_undo_leaves_alone_a_customer_changed_since_through_update_customer(api):
    token = await manager_token(api)
    job = await run_import_details(
        api, csv_bytes("Edited Later,SME,UL-1,,,,,,", "Untouched,SME,UL-2,,,,,,"), token=token
    )
    edited = (await customers(api))["UL-1"]
    body = await api.client.as_user(token).data(
        UPDATE_CUSTOMER, {"input": {"id": str(edited.id), "name": "Edited By Hand"}}
    )
    assert body["updateCustomer"]["errors"] == []
    result = await undo(api, token, job["id"])
    assert (result["removedCount"], result["restoredCount"]) == (1, 0)
    assert [(c["code"], c["customerId"]) for c in result["leftAlone"]] == [("UL-1", str(edited.id))]
    assert result["leftAlone"][0]["reason"]
    assert set(await customers(api)) == {"UL-1"}


async def test_undo_leaves_alone_an_updated_customer_whose_version_moved_on(api):
    existing = await add_customer(api, "UV-1", "Before")
    token = await manager_token(api)
    job = await run_import_details(
        api, csv_bytes("After,SME,UV-1,,,,,,"), token=token, options={"onDuplicate": "UPDATE"}
    )
    async with api.db.write_session() as session:
        await session.execute(
            update(Customer)
            .where(Customer.id == existing)
            .values(name="Changed Directly", version=Customer.version + 1)
        )
        await session.commit()
    result = await undo(api, token, job["id"])
    assert (result["removedCount"], result["restoredCount"]) == (0, 0)
    assert [c["code"] for c in result["leftAlone"]] == ["UV-1"]
    assert (await customers(api))["UV-1"].name == "Changed Directly"


async def test_undo_leaves_alone_created_customers_with_later_orders_or_interactions(api):
    token = await manager_token(api)
    job = await run_import_details(
        api,
        csv_bytes(
            "Has Order,SME,UR-1,,,,,,", "Has Interaction,SME,UR-2,,,,,,", "Plain,SME,UR-3,,,,,,"
        ),
        token=token,
    )
    found = await customers(api)
    await fx.add_order(api, found["UR-1"].id, "1000.00", on=fx.today())
    await fx.add_interaction(api, found["UR-2"].id, InteractionKind.CALL, days_ago=0)
    result = await undo(api, token, job["id"])
    assert result["removedCount"] == 1
    assert sorted(c["code"] for c in result["leftAlone"]) == ["UR-1", "UR-2"]
    assert set(await customers(api)) == {"UR-1", "UR-2"}


async def test_a_second_undo_of_the_same_import_is_refused(api):
    token = await manager_token(api)
    job = await run_import_details(api, csv_bytes("Once,SME,U2-1,,,,,,"), token=token)
    assert (await undo(api, token, job["id"]))["errors"] == []
    again = await undo(api, token, job["id"])
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("jobId", "ALREADY_UNDONE")]
    assert again["removedCount"] == 0


async def test_undo_of_a_dry_run_is_refused(api):
    token = await manager_token(api)
    job = await run_import_details(
        api, csv_bytes("Dry,SME,UD-1,,,,,,"), token=token, options={"dryRun": True}
    )
    result = await undo(api, token, job["id"])
    assert [e["code"] for e in result["errors"]] == ["NOTHING_TO_UNDO"]


# ---------------------------------------------------------------------- categorisation


async def test_imported_customers_are_categorised(api):
    job = await run_import_details(
        api, csv_bytes("Cat Small,SME,CT-1,,,,,,", "Cat Big,Enterprise,CT-2,,,,,,")
    )
    assert counts(job) == (2, 0, 0, 0, 0)
    found = await customers(api)
    assert found["CT-1"].id in await fx.members(api, "business-type:small-business")
    assert found["CT-2"].id in await fx.members(api, "business-type:enterprise")


async def test_a_large_imports_categorisation_split_in_halves_places_every_customer(
    api, monkeypatch
):
    # given the threshold for a split pass lowered to a file of four (PostgreSQL only)
    monkeypatch.setattr(customer_import, "PARALLEL_CATEGORISATION_FROM", 1)
    rows = [f"Half {i},{kind},HF-{i},,,,,," for i, kind in
            enumerate(["SME", "Enterprise", "Government", "Individual"])]  # fmt: skip
    job = await run_import_details(api, csv_bytes(*rows))
    assert counts(job) == (4, 0, 0, 0, 0)
    found = await customers(api)
    assert found["HF-0"].id in await fx.members(api, "business-type:small-business")
    assert found["HF-1"].id in await fx.members(api, "business-type:enterprise")
    assert found["HF-2"].id in await fx.members(api, "business-type:government")
    assert found["HF-3"].id in await fx.members(api, "business-type:individual")


async def test_customers_updated_by_import_are_recategorised(api):
    existing = await add_customer(api, "RC-1", "Recat")
    await run_import_details(api, csv_bytes("Recat,SME,RC-1,,,,,,"))  # skipped: nothing moves
    job = await run_import_details(
        api, csv_bytes("Recat,Government,RC-1,,,,,,"), options={"onDuplicate": "UPDATE"}
    )
    assert counts(job) == (0, 1, 0, 0, 0)
    assert existing in await fx.members(api, "business-type:government")
    assert existing not in await fx.members(api, "business-type:small-business")


# ---------------------------------------------------------------------- access and payloads


async def test_sales_users_are_forbidden_to_import_and_to_undo(api):
    manager = await manager_token(api)
    job = await run_import_details(api, csv_bytes("Forbidden,SME,FB-1,,,,,,"), token=manager)
    sales = api.token_for((await api.make_user(Role.SALES)).id)
    body = await upload(api, sales, csv_bytes("Sneaky,SME,FB-2,,,,,,"))
    assert error_codes(body) == ["FORBIDDEN"]
    assert await api.run_jobs("customer-import") == []
    undo_body = await api.client.as_user(sales).post(UNDO, {"jobId": job["id"]})
    assert error_codes(undo_body) == ["FORBIDDEN"]
    assert set(await customers(api)) == {"FB-1"}


async def test_a_value_that_is_not_a_file_is_a_payload_error(api):
    token = await manager_token(api)
    body = await api.client.as_user(token).post(
        IMPORT_CUSTOMERS, {"file": "Name,Business Type\nx,SME\n", "options": None}
    )
    assert not body.get("errors"), body
    payload = body["data"]["importCustomers"]
    assert payload["job"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("file", "VALIDATION_ERROR")]
    assert await api.run_jobs("customer-import") == []


async def test_an_oversized_file_is_a_payload_error_and_queues_nothing(api, monkeypatch):
    monkeypatch.setattr(
        Context,
        "config",
        property(lambda self: replace(self.services.config, max_upload_bytes=1024)),
    )
    token = await manager_token(api)
    big = csv_bytes(*[f"Customer {i},SME,BIG-{i},,,,,," for i in range(100)])
    assert len(big) > 1024
    storage = api.app.state.settings.storage_dir

    def files() -> set[str]:
        return {str(p) for p in storage.rglob("*") if p.is_file()}

    before = files()
    body = await upload(api, token, big)
    payload = body["data"]["importCustomers"]
    assert payload["job"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("file", "TOO_LARGE")]
    assert await api.run_jobs("customer-import") == []
    assert files() <= before  # nothing of the refused upload is kept


async def test_invalid_options_are_payload_errors_named_by_option(api):
    token = await manager_token(api)
    body = await upload(
        api,
        token,
        csv_bytes("Opt,SME,OP-1,,,,,,"),
        options={"dateFormats": ["DD/MM/YY"], "matchOn": []},
    )
    payload = body["data"]["importCustomers"]
    assert payload["job"] is None
    assert sorted(e["field"] for e in payload["errors"]) == [
        "options.dateFormats",
        "options.matchOn",
    ]


async def test_import_job_is_null_for_another_kind_of_job_or_an_unknown_id(api):
    manager = await api.client_for(Role.MANAGER)
    client = manager[0]
    export = await start_export(client, "CSV")
    assert export["errors"] == []
    for job_id in (export["job"]["id"], "999999", "not-an-id"):
        data = await client.data(IMPORT_JOB_BY_ID, {"id": job_id})
        assert data["importJob"] is None, job_id


async def test_another_sales_user_cannot_read_an_import_job(api):
    manager = await manager_token(api)
    job = await run_import_details(api, csv_bytes("Private,SME,PV-1,,,,,,"), token=manager)
    sales = api.token_for((await api.make_user(Role.SALES)).id)
    data = await api.client.as_user(sales).data(IMPORT_JOB_BY_ID, {"id": job["id"]})
    assert data["importJob"] is None


async def test_a_multipart_import_without_the_csrf_header_is_refused(api):
    token = await manager_token(api)
    operations = json.dumps(
        {"query": IMPORT_CUSTOMERS, "variables": {"file": None, "options": None}}
    )
    response = await api.client.http.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("c.csv", csv_bytes("Csrf,SME,CS-1,,,,,,"), "text/csv")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert "X-CSRF-Protection" in response.text
    assert CSRF  # the header the accepted requests carry
    assert await api.run_jobs("customer-import") == []


# ---------------------------------------------------------------------- concurrency


CONCURRENT = csv_bytes(
    *[f"Parallel {i},SME,PA-{i},pa{i}@parallel.in,,,,," for i in range(1, 31)],
    # no code: only the email keeps these single
    *[f"Codeless {i},SME,,cl{i}@parallel.in,,,,," for i in range(1, 21)],
)


async def test_two_concurrent_imports_of_the_same_new_customers_create_no_duplicates(api):
    token = await manager_token(api)
    job_ids = []
    for _ in range(2):
        body = await upload(api, token, CONCURRENT)
        job_ids.append(body["data"]["importCustomers"]["job"]["id"])
    # claim both jobs, then run them at the same time, as two workers would
    runner = api.app.state.platform.runner
    claimed = []
    for _ in range(2):
        await runner._capacity.acquire()
        claimed.append(await runner._claim(["customer-import"]))
    assert all(job is not None for job in claimed)
    await asyncio.gather(*(runner._run(j.id, j.kind, dict(j.options or {})) for j in claimed))
    jobs = [await import_details(api, token, job_id) for job_id in job_ids]
    assert [j["status"] for j in jobs] == ["SUCCEEDED", "SUCCEEDED"], jobs
    # every customer exists exactly once
    found = await customers(api)
    assert len(found) == 50
    assert len({c.email for c in found.values()}) == 50
    assert sum(j["createdCount"] for j in jobs) == 50
    for job in jobs:
        assert job["createdCount"] + job["skippedCount"] == 50, (counts(job), row_errors(job))
        assert job["failedCount"] == 0, row_errors(job)


async def test_a_second_import_of_the_same_file_skips_every_customer(api):
    token = await manager_token(api)
    first = await run_import_details(api, CONCURRENT, token=token)
    second = await run_import_details(api, CONCURRENT, token=token)
    assert counts(first) == (50, 0, 0, 0, 0)
    assert counts(second) == (0, 0, 0, 50, 0)
    assert len(await customers(api)) == 50


async def test_row_errors_are_kept_with_the_job(api):
    job = await run_import_details(api, csv_bytes("Err,SME,RW-1,bad@,,,,,"))
    async with api.db.read_session() as session:
        stored = (await session.scalars(select(ImportRowError))).all()
        kind = await session.scalar(select(Job.kind).where(Job.id == int(job["id"])))
    assert [(e.row, e.code) for e in stored] == [(2, "VALIDATION_ERROR")]
    assert kind == "customer-import"


async def test_row_numbers_and_in_file_duplicates_hold_across_write_batches(api):
    # given more rows than one write batch holds, and a quoted field spanning lines early on
    rows = [f"Bulk {i},SME,BK-{i},,,,,," for i in range(1, 2051)]
    rows[0] = 'Bulk 1,SME,BK-1,,,,,,"multi\nline tags"'
    rows.append("Late Bad,SME,BK-LATE,not-an-email,,,,,")  # row 2052
    rows.append("Late Duplicate,SME,bk-1,,,,,,")  # row 2053
    job = await run_import_details(api, csv_bytes(*rows))
    assert counts(job) == (2050, 0, 0, 0, 2), row_errors(job)
    assert errors_of(job) == [
        (2052, "Email", "email", "VALIDATION_ERROR"),
        (2053, "Code", "code", "DUPLICATE_IN_FILE"),
    ]
    assert job["totalRows"] == 2052


async def test_small_batches_written_side_by_side_keep_file_order(api, monkeypatch):
    # given write batches of three rows (PostgreSQL writes two batches at once), customers
    # to update in different batches and failing rows spread across the file
    monkeypatch.setattr(
        Context,
        "config",
        property(lambda self: replace(self.services.config, import_batch_rows=3)),
    )
    await add_customer(api, "SS-5", "Old Five")
    await add_customer(api, "SS-11", "Old Eleven")
    await add_customer(api, "OTHER-1", "Other", email="taken@side.in")
    rows = [f"Side {i},SME,SS-{i},,,,,," for i in range(1, 19)]
    rows[2] = "Side 3,SME,SS-3,bad@,,,,,"  # row 4: invalid email
    rows[7] = "Side 8,SME,SS-8,taken@side.in,,,,,"  # row 9: another customer's email
    rows[12] = "Side 13,SME,ss-1,,,,,,"  # row 14: the code of row 2 again
    token = await manager_token(api)
    # when the file is imported in UPDATE mode, matching by code
    options = {"onDuplicate": "UPDATE", "matchOn": ["CODE"]}
    job = await run_import_details(api, csv_bytes(*rows), token=token, options=options)
    # then counts, errors and the error report follow the file, whatever finished first
    assert counts(job) == (13, 2, 0, 0, 3), row_errors(job)
    assert errors_of(job) == [
        (4, "Email", "email", "VALIDATION_ERROR"),
        (9, "Email", "email", "DUPLICATE"),
        (14, "Code", "code", "DUPLICATE_IN_FILE"),
    ]
    report = await download(api, job["errorReportUrl"])
    reported = list(csv.reader(io.StringIO(report.decode("utf-8-sig"))))[1:]
    assert [r[2] for r in reported] == ["SS-3", "SS-8", "ss-1"]
    found = await customers(api)
    assert (found["SS-5"].name, found["SS-11"].name) == ("Side 5", "Side 11")
    assert "SS-3" not in found and "SS-8" not in found
    assert len([c for c in found if c.startswith("SS-")]) == 15
    assert job["processedRows"] == 18


# ---------------------------------------------------------------------- export round trip


async def _round_trip_customers(api: Any) -> None:
    await add_customer(
        api,
        "RT-1",
        "=Formula Looking Name",
        email="rt1@trip.in",
        phone="+919820012345",
        tax_id="27AAPFU0939F1ZV",
        credit_limit="100000",
        tags=("vip", "export"),
    )
    await add_customer(
        api, "RT-2", "-Minus Traders", phone="+442079460958", business_type=BusinessType.ENTERPRISE
    )
    await add_customer(api, "RT-3", "@At Sign Co", email="rt3@trip.in")


async def test_an_exported_csv_reimports_as_it_is_with_every_row_unchanged(api):
    # given customers whose names and phones an export neutralises (= - @ +)
    await _round_trip_customers(api)
    exported = await export_file(api, "CSV")
    # when the export is imported back in UPDATE mode
    job = await run_import_details(
        api, exported, filename="export.csv", options={"onDuplicate": "UPDATE"}
    )
    # then nothing changes
    assert job["status"] == "SUCCEEDED", job["errorMessage"]
    assert counts(job) == (0, 0, 3, 0, 0), row_errors(job)
    found = await customers(api)
    assert [found[c].name for c in ("RT-1", "RT-2", "RT-3")] == [
        "=Formula Looking Name",
        "-Minus Traders",
        "@At Sign Co",
    ]
    assert all(c.version == 1 for c in found.values())


async def test_an_exported_xlsx_reimports_as_it_is_with_every_row_unchanged(api):
    await _round_trip_customers(api)
    exported = await export_file(api, "XLSX")
    job = await run_import_details(
        api, exported, filename="export.xlsx", options={"onDuplicate": "UPDATE"}
    )
    assert job["status"] == "SUCCEEDED", job["errorMessage"]
    assert counts(job) == (0, 0, 3, 0, 0), row_errors(job)


async def test_undo_leaves_alone_an_updated_customer_with_a_document_since_the_import(api):
    # given two customers the import updates, one with an order from before the import
    older = await add_customer(api, "LD-1", "Older Order", credit_limit="1000")
    later = await add_customer(api, "LD-2", "Later Order", credit_limit="1000")
    await add_order_at(api, older, at=dt.datetime.now(dt.UTC) - dt.timedelta(days=30))
    token = await manager_token(api)
    job = await run_import_details(
        api,
        csv_bytes("Older Order,SME,LD-1,,,,,50000,", "Later Order,SME,LD-2,,,,,50000,"),
        token=token,
        options={"onDuplicate": "UPDATE"},
    )
    assert counts(job) == (0, 2, 0, 0, 0), row_errors(job)
    # and an order placed after the import, relying on the raised limit
    await add_order_at(api, later, at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    # when
    result = await undo(api, token, job["id"])
    # then the customer with the later document keeps the imported values, and is listed
    assert (result["removedCount"], result["restoredCount"]) == (0, 1)
    assert [c["code"] for c in result["leftAlone"]] == ["LD-2"]
    found = await customers(api)
    assert (found["LD-1"].credit_limit, found["LD-2"].credit_limit) == (
        Decimal("1000.00"),
        Decimal("50000.00"),
    )


async def add_order_at(api: Any, customer_id: int, *, at: dt.datetime) -> None:
    async with api.db.write_session() as session:
        count = len((await session.scalars(select(Order.id))).all())
        session.add(
            Order(
                number=f"SO-LD-{count + 1}",
                customer_id=customer_id,
                status=OrderStatus.CONFIRMED,
                order_date=at.date(),
                due_date=at.date(),
                total=Decimal("1000.00"),
                created_at=at,
                updated_at=at,
            )
        )
        await session.commit()
