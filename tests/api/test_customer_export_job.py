"""The export job: its file name, link and expiry, who may start and read it, progress
after each batch, and a failure that leaves nothing behind."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.storage import LocalFileStorage
from models.enums import Role
from resolvers import export_xlsx
from resolvers.config import DomainConfig
from resolvers.customer_columns import CustomerColumn
from resolvers.customer_export import ExportFormat, ExportRequest, export_customers
from resolvers.export_xlsx import XlsxExport
from tests.api.export_support import (
    EXPORT,
    EXPORT_JOB_DETAILS,
    customer,
    finished_job,
    local_path,
    manager,
    start,
)
from tests.support import error_codes

# The job, its link and who may use it


async def test_finished_export_job_reports_rows_size_and_a_dated_file_name(api):
    await customer(api, "Kaveri Pumps")
    client = await manager(api)
    payload = await start(client, "XLSX")
    job = await finished_job(api, client, payload["job"]["id"])
    assert job["status"] == "SUCCEEDED"
    assert (job["format"], job["rowCount"], job["totalRows"]) == ("XLSX", 1, 1)
    assert job["sizeBytes"] > 0
    assert re.fullmatch(r"customers-\d{4}-\d{2}-\d{2}-\d{4}\.xlsx", job["filename"])
    assert f"name={job['filename']}" in job["url"]


async def test_export_link_expires_after_the_configured_lifetime(api):
    client = await manager(api)
    payload = await start(client, "CSV")
    job = await finished_job(api, client, payload["job"]["id"])
    expires = dt.datetime.fromisoformat(job["expiresAt"])
    lifetime = expires - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=55) < lifetime <= dt.timedelta(hours=1)


async def test_a_tampered_export_link_is_refused(api):
    client = await manager(api)
    job = await finished_job(api, client, (await start(client, "CSV"))["job"]["id"])
    tampered = local_path(job["url"]).replace("sig=", "sig=0")
    assert (await api.client.http.get(tampered)).status_code == 403


async def test_export_answers_with_the_queued_job_when_no_worker_finished_it(api):
    client = await manager(api)
    payload = await start(client, "JSON")
    assert payload["errors"] == []
    assert payload["job"]["status"] == "QUEUED"
    assert payload["job"]["url"] is None


async def test_sales_rep_may_not_export(api):
    client, _ = await api.client_for(Role.SALES)
    body = await client.post(EXPORT, {"format": "CSV"})
    assert error_codes(body) == ["FORBIDDEN"]


async def test_an_export_job_is_hidden_from_a_sales_rep_who_did_not_start_it(api):
    job_id = (await start(await manager(api), "CSV"))["job"]["id"]
    rep, _ = await api.client_for(Role.SALES)
    assert (await rep.data(EXPORT_JOB_DETAILS, {"id": job_id}))["exportJob"] is None


async def test_another_manager_may_read_an_export_job(api):
    job_id = (await start(await manager(api), "CSV"))["job"]["id"]
    other = await manager(api)
    job = (await other.data(EXPORT_JOB_DETAILS, {"id": job_id}))["exportJob"]
    assert job["id"] == job_id


async def test_export_job_does_not_show_jobs_of_other_kinds(api):
    client = await manager(api)
    refit = await client.data("mutation { recalculateLifetimeValues { job { id } } }")
    job_id = refit["recalculateLifetimeValues"]["job"]["id"]
    assert (await client.data(EXPORT_JOB_DETAILS, {"id": job_id}))["exportJob"] is None


@dataclass
class InlineJob:
    """The JobContext a worker gives the handler, recording the progress it reports."""

    read_session: Any
    write_session: Any
    files: LocalFileStorage
    options: dict[str, Any]
    reports: list[tuple[int, int | None]] = field(default_factory=list)
    job_id: int = 0

    async def report(self, *, processed: int, total: int | None = None, progress=None) -> None:
        self.reports.append((processed, total))

    async def in_thread(self, fn, *args):  # type: ignore[no-untyped-def]
        return await asyncio.to_thread(fn, *args)


async def test_export_reports_progress_after_each_batch_written(api, tmp_path):
    # given
    for i in range(5):
        await customer(api, f"Customer {i}")
    config = DomainConfig()
    request = ExportRequest(
        format=ExportFormat.CSV,
        columns=(CustomerColumn.NAME,),
        flt=None,
        neutralise_formulas=True,
        excel_bom=False,
        timezone=config.timezone,
        thresholds=config.credit,
        file_ttl=dt.timedelta(hours=1),
        requested_at=dt.datetime.now(dt.UTC),
    )
    job = InlineJob(
        api.db.read_session,
        api.db.write_session,
        LocalFileStorage(tmp_path),
        request.to_options() | {"batchSize": 2},
    )
    # when
    result = await export_customers(job)
    # then
    assert job.reports == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert result["rowCount"] == 5


def files_under(root: Path, pattern: str = "**/*") -> set[Path]:
    return {p for p in root.glob(pattern) if p.is_file() or p.name.startswith("crm-export-")}


async def test_a_failed_export_fails_its_job_and_leaves_no_file_behind(api, monkeypatch):
    # given
    await customer(api, "Kaveri Pumps")
    storage = api.app.state.platform.files.root
    temporary = Path(tempfile.gettempdir())
    stored_before = files_under(storage)
    temporary_before = files_under(temporary, "crm-export-*")

    def broken(self, batch):
        raise OSError("disk full")

    monkeypatch.setattr(XlsxExport, "write", broken)
    client = await manager(api)
    # when
    job = await finished_job(api, client, (await start(client, "XLSX"))["job"]["id"])
    # then
    assert (job["status"], job["url"]) == ("FAILED", None)
    assert "disk full" in job["errorMessage"]
    assert files_under(storage) == stored_before
    assert files_under(temporary, "crm-export-*") == temporary_before


async def test_an_xlsx_export_beyond_the_sheets_rows_fails_with_a_reason(api, monkeypatch):
    monkeypatch.setattr(export_xlsx, "MAX_ROWS", 1)
    await customer(api, "Kaveri Pumps")
    await customer(api, "Delhi Lathe Works")
    client = await manager(api)
    job = await finished_job(api, client, (await start(client, "XLSX"))["job"]["id"])
    assert job["status"] == "FAILED"
    assert "export CSV or JSON" in job["errorMessage"]
