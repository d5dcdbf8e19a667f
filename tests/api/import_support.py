"""Imports through the real app: a multipart upload of ImportCustomers, the job run as a
worker would, and the ImportJob read back, all with the contract's own operations."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from models.enums import Role
from tests.contract_checks.operations import operation

IMPORT_CUSTOMERS = operation("ImportCustomers")
IMPORT_JOB = operation("ImportJob")
CSRF = {"X-CSRF-Protection": "1"}
CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def upload(
    api: Any,
    token: str,
    content: bytes,
    *,
    filename: str = "customers.csv",
    options: dict[str, Any] | None = None,
    content_type: str = CSV_TYPE,
) -> dict[str, Any]:
    """The ImportCustomers response body."""
    operations = json.dumps(
        {"query": IMPORT_CUSTOMERS, "variables": {"file": None, "options": options}}
    )
    response = await api.client.http.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (filename, content, content_type)},
        headers={"Authorization": f"Bearer {token}", **CSRF},
    )
    assert response.status_code == 200, response.text
    return response.json()


async def import_job(api: Any, token: str, job_id: str) -> dict[str, Any]:
    body = await api.client.as_user(token).post(IMPORT_JOB, {"id": job_id})
    assert "errors" not in body, body
    return body["data"]["importJob"]


async def manager_token(api: Any) -> str:
    manager = await api.make_user(Role.MANAGER)
    return api.token_for(manager.id)


async def run_import(
    api: Any,
    content: bytes,
    *,
    token: str | None = None,
    filename: str = "customers.csv",
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Upload, run the job, and return ImportJob as the contract reads it."""
    token = token or await manager_token(api)
    content_type = XLSX_TYPE if filename.endswith(".xlsx") else CSV_TYPE
    body = await upload(
        api, token, content, filename=filename, options=options, content_type=content_type
    )
    payload = body["data"]["importCustomers"]
    assert payload["errors"] == [], payload
    await api.run_jobs("customer-import")
    return await import_job(api, token, payload["job"]["id"])


async def download(api: Any, url: str) -> bytes:
    parts = urlsplit(url)
    response = await api.client.http.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 200, response.text
    return response.content


def row_errors(job: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in job["rowErrors"]["edges"]]


# Everything ImportJob tells, beyond the contract's selection: for the corpus and behaviour
# tests, which assert unchanged counts, job error messages and what the reader decided.
IMPORT_JOB_DETAILS = """
query ImportJobDetails($id: ID!) {
  importJob(id: $id) {
    id status dryRun written totalRows processedRows
    createdCount updatedCount unchangedCount skippedCount failedCount
    errorMessage errorReportUrl unknownColumns format encoding delimiter undoneAt
    mapping { column field }
    rowErrors(first: 100) {
      totalCount
      edges { node { row column field message code } }
    }
  }
}
"""


async def import_details(api: Any, token: str, job_id: str) -> dict[str, Any]:
    body = await api.client.as_user(token).post(IMPORT_JOB_DETAILS, {"id": job_id})
    assert "errors" not in body, body
    return body["data"]["importJob"]


async def run_import_details(
    api: Any,
    content: bytes,
    *,
    token: str | None = None,
    filename: str = "customers.csv",
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """As run_import, returning every ImportJob field (IMPORT_JOB_DETAILS)."""
    token = token or await manager_token(api)
    job = await run_import(api, content, token=token, filename=filename, options=options)
    return await import_details(api, token, job["id"])


def counts(job: dict[str, Any]) -> tuple[int, int, int, int, int]:
    """(created, updated, unchanged, skipped, failed)."""
    return (
        job["createdCount"],
        job["updatedCount"],
        job["unchangedCount"],
        job["skippedCount"],
        job["failedCount"],
    )
