"""Helpers for the export tests: customers with known facts, an export run to its file."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, update

from models import (
    Customer,
    CustomerLifetimeValue,
    CustomerRelationshipScore,
    CustomerSegment,
    CustomerSegmentMembership,
)
from models.enums import MembershipSource, Role, SegmentKind
from tests.api.segment_fixtures import add_customer
from tests.contract_checks.operations import operation
from tests.support import GraphQLClient

EXPORT = operation("ExportCustomers")
EXPORT_JOB = operation("ExportJob")
EXPORT_WITH_OPTIONS = """mutation($format: ExportFormat!, $filter: CustomerFilter,
    $fields: [CustomerExportField!], $options: CustomerExportOptions) {
  exportCustomers(format: $format, filter: $filter, fields: $fields, options: $options) {
    job { id status format rowCount url expiresAt } errors { field message code } } }"""
EXPORT_JOB_DETAILS = """query($id: ID!) { exportJob(id: $id) {
    id status format fields rowCount sizeBytes filename url expiresAt totalRows errorMessage } }"""


async def manager(api: Any) -> GraphQLClient:
    return (await api.client_for(Role.MANAGER))[0]


async def set_customer(api: Any, customer_id: int, **values: Any) -> None:
    async with api.db.write_session() as session:
        await session.execute(update(Customer).where(Customer.id == customer_id).values(**values))
        await session.commit()


async def customer(api: Any, name: str, **values: Any) -> int:
    """A customer (via the segment fixtures), then any other stored columns set directly."""
    keys = ("business_type", "state", "city", "credit_limit", "created_at", "tags")
    made = {k: values.pop(k) for k in keys if k in values}
    customer_id = await add_customer(api, name, **made)
    if values:
        await set_customer(api, customer_id, **values)
    return customer_id


async def segment(api: Any, name: str, kind: SegmentKind, *customer_ids: int) -> int:
    async with api.db.write_session() as session:
        segment_id = (
            await session.execute(
                insert(CustomerSegment)
                .values(key=name.lower().replace(" ", "-"), name=name, kind=kind)
                .returning(CustomerSegment.id)
            )
        ).scalar_one()
        for customer_id in customer_ids:
            await session.execute(
                insert(CustomerSegmentMembership).values(
                    customer_id=customer_id, segment_id=segment_id, source=MembershipSource.MANUAL
                )
            )
        await session.commit()
    return segment_id


async def scores(api: Any, customer_id: int, *, score: int, predicted_value: str) -> None:
    now = dt.datetime.now(dt.UTC)
    async with api.db.write_session() as session:
        await session.execute(
            insert(CustomerRelationshipScore).values(
                customer_id=customer_id, score=score, grade="B", components=[], computed_at=now
            )
        )
        await session.execute(
            insert(CustomerLifetimeValue).values(
                customer_id=customer_id,
                total_revenue=Decimal("0"),
                order_count=0,
                tenure_days=0,
                predicted_value=Decimal(predicted_value),
                horizon_days=364,
                model_version="bgnbd-gg-v1",
                computed_at=now,
            )
        )
        await session.commit()


async def start(client: GraphQLClient, format: str, **variables: Any) -> dict[str, Any]:
    """The exportCustomers payload (with the options argument when given)."""
    query = EXPORT_WITH_OPTIONS if "options" in variables else EXPORT
    data = await client.data(query, {"format": format, **variables})
    return data["exportCustomers"]


def local_path(url: str) -> str:
    """An absolute download link as a path the in-process app client can fetch."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def finished_job(api: Any, client: GraphQLClient, job_id: str) -> dict[str, Any]:
    await api.run_jobs("customer-export")
    return (await client.data(EXPORT_JOB_DETAILS, {"id": job_id}))["exportJob"]


async def export_file(api: Any, format: str, **variables: Any) -> bytes:
    """Run an export as a manager and return the downloaded file."""
    client = await manager(api)
    payload = await start(client, format, **variables)
    assert payload["errors"] == [], payload["errors"]
    job = await finished_job(api, client, payload["job"]["id"])
    assert job["status"] == "SUCCEEDED", job
    response = await api.client.http.get(local_path(job["url"]))
    assert response.status_code == 200, response.text
    return response.content
