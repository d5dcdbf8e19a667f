"""Customer imports through the real app and a real multipart request: what is created,
updated, skipped and refused, and how each refusal is reported."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from models import CreditLimitHistory, Customer
from resolvers.import_known_keys import KnownKeys
from tests.api.import_support import row_errors, run_import

HEADER = "Customer Name,Business Type,Code,Email,Mobile,GSTIN,State,Credit Limit\n"


async def _customers(api) -> dict[str, Customer]:
    async with api.db.read_session() as session:
        rows = (await session.scalars(select(Customer))).all()
    return {c.code: c for c in rows}


async def test_a_clean_csv_creates_every_customer_with_normalised_values(api):
    content = (
        HEADER
        + 'Acme Tools,Enterprise,ACM-1,Buyer@Acme.in,98200 12345,27AAPFU0939F1ZV,MH,"1,00,000"\n'
        + "Bharat Lathes,SME,BL-2,,+91 98765 43210,,Karnataka,\n"
    ).encode()
    job = await run_import(api, content)
    assert job["status"] == "SUCCEEDED", job
    assert (job["createdCount"], job["failedCount"], job["totalRows"]) == (2, 0, 2)
    customers = await _customers(api)
    acme = customers["ACM-1"]
    assert acme.email == "buyer@acme.in"
    assert acme.phone == "+919820012345"
    assert acme.state == "Maharashtra"
    assert str(acme.credit_limit) == "100000.00"
    assert customers["BL-2"].business_type.value == "SMALL_BUSINESS"


async def test_a_credit_limit_from_an_import_writes_history_naming_the_job(api):
    content = (HEADER + "Acme Tools,Enterprise,ACM-1,,,,,5000\n").encode()
    job = await run_import(api, content)
    async with api.db.read_session() as session:
        history = (await session.scalars(select(CreditLimitHistory))).all()
    assert [(h.old_limit, str(h.new_limit), h.reason) for h in history] == [
        (None, "5000.00", f"import {job['id']}")
    ]


async def test_a_bad_row_is_reported_with_its_spreadsheet_row_and_column(api):
    content = (
        HEADER + "Good One,Enterprise,G-1,,,,,\n" + "Bad One,Enterprise,B-1,not-an-email,,,,\n"
    ).encode()
    job = await run_import(api, content)
    assert (job["createdCount"], job["failedCount"]) == (1, 1)
    assert [(e["row"], e["column"], e["field"]) for e in row_errors(job)] == [(3, "Email", "email")]


async def test_a_customer_missing_from_the_imports_snapshot_of_keys_is_still_matched(
    api, monkeypatch
):
    # given a customer the import's snapshot of known keys does not know (as if created
    # by someone else after the import started)
    await run_import(api, (HEADER + "Acme Tools,Enterprise,ACM-1,,,,,\n").encode())

    async def empty_snapshot(session):
        return KnownKeys(np.empty(0, dtype=np.int64))

    monkeypatch.setattr(KnownKeys, "load", staticmethod(empty_snapshot))
    # when the same code is imported in UPDATE mode
    job = await run_import(
        api,
        (HEADER + "Acme Tools Pvt,Enterprise,ACM-1,,,,,\n").encode(),
        options={"onDuplicate": "UPDATE"},
    )
    # then the insert's conflict sends the row to a real lookup: matched, not duplicated
    assert (job["createdCount"], job["updatedCount"], job["failedCount"]) == (0, 1, 0)
    assert [c.name for c in (await _customers(api)).values()] == ["Acme Tools Pvt"]
