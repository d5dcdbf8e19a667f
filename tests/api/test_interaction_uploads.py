"""Attachments through the GraphQL multipart request spec, on the real Starlette app:
``operations`` + ``map`` + file parts, and the hostile variants."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Any

import httpx

from models import InteractionAttachment
from models.enums import Role
from schema.context import Context
from tests.api.interaction_support import make_customer
from tests.contract_checks.operations import operation

LOG_INTERACTION = operation("LogInteraction")
PDF = b"%PDF-1.4\n" + b"quotation body " * 200 + b"\n%%EOF\n"
CSRF = {"X-CSRF-Protection": "1"}


async def _upload(
    api: Any,
    token: str,
    customer_id: int,
    files: dict[str, tuple[str, bytes, str]],
    *,
    attachments: list[Any] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """One multipart request: a null per file in ``attachments``, each mapped to a part."""
    count = len(files)
    variables = {
        "input": {
            "customerId": str(customer_id),
            "kind": "MEETING",
            "subject": "Site visit",
            "attachments": attachments if attachments is not None else [None] * count,
        }
    }
    operations = json.dumps({"query": LOG_INTERACTION, "variables": variables})
    mapping = json.dumps(
        {name: [f"variables.input.attachments.{i}"] for i, name in enumerate(files)}
    )
    return await api.client.http.post(
        "/graphql",
        data={"operations": operations, "map": mapping},
        files=files,
        headers={"Authorization": f"Bearer {token}", **(CSRF if headers is None else headers)},
    )


async def _rep_and_customer(api: Any) -> tuple[str, int]:
    rep = await api.make_user(Role.SALES)
    return api.token_for(rep.id), await make_customer(api, owner_id=rep.id)


async def test_an_uploaded_file_is_stored_with_its_size_checksum_and_a_signed_link(api):
    # given
    token, customer = await _rep_and_customer(api)
    # when
    response = await _upload(api, token, customer, {"0": ("quote.pdf", PDF, "application/pdf")})
    # then
    body = response.json()
    assert response.status_code == 200, body
    result = body["data"]["createInteraction"]
    assert result["errors"] == []
    [attachment] = result["interaction"]["attachments"]
    assert attachment["name"] == "quote.pdf"
    assert attachment["contentType"] == "application/pdf"
    assert attachment["size"] == len(PDF)
    async with api.db.read_session() as session:
        row = await session.get(InteractionAttachment, int(attachment["id"]))
    assert row.sha256 == hashlib.sha256(PDF).hexdigest()
    # and the signed link serves exactly those bytes
    download = await api.client.http.get(attachment["url"].replace("http://127.0.0.1:8000", ""))
    assert download.status_code == 200
    assert download.content == PDF


async def test_a_tampered_download_link_is_refused(api):
    token, customer = await _rep_and_customer(api)
    response = await _upload(api, token, customer, {"0": ("quote.pdf", PDF, "application/pdf")})
    url = response.json()["data"]["createInteraction"]["interaction"]["attachments"][0]["url"]
    tampered = url.replace("http://127.0.0.1:8000", "").replace("sig=", "sig=x")
    assert (await api.client.http.get(tampered)).status_code == 403


async def test_several_files_are_attached_in_order(api):
    token, customer = await _rep_and_customer(api)
    files = {
        "0": ("a.txt", b"first note", "text/plain"),
        "1": ("b.csv", b"x,y\n1,2\n", "text/csv"),
    }
    response = await _upload(api, token, customer, files)
    attachments = response.json()["data"]["createInteraction"]["interaction"]["attachments"]
    assert [(a["name"], a["contentType"]) for a in attachments] == [
        ("a.txt", "text/plain"),
        ("b.csv", "text/csv"),
    ]


async def test_a_lying_content_type_is_replaced_by_what_the_bytes_are(api):
    token, customer = await _rep_and_customer(api)
    response = await _upload(api, token, customer, {"0": ("photo.png", PDF, "image/png")})
    [attachment] = response.json()["data"]["createInteraction"]["interaction"]["attachments"]
    assert attachment["contentType"] == "application/pdf"


async def test_a_string_instead_of_a_file_is_a_payload_error(api):
    # given a plain JSON request whose Upload variable is a string
    token, customer = await _rep_and_customer(api)
    client = api.client.as_user(token)
    variables = {
        "input": {
            "customerId": str(customer),
            "kind": "NOTE",
            "subject": "x",
            "attachments": ["not a file"],
        }
    }
    # when
    body = await client.post(LOG_INTERACTION, variables)
    # then
    assert not body.get("errors"), body
    result = body["data"]["createInteraction"]
    assert result["interaction"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        ("attachments.0", "VALIDATION_ERROR")
    ]


async def test_a_string_in_a_multipart_request_is_a_payload_error_and_nothing_is_kept(api):
    token, customer = await _rep_and_customer(api)
    response = await _upload(
        api,
        token,
        customer,
        {"1": ("ok.txt", b"fine", "text/plain")},
        attachments=[None, "not a file"],
    )
    # the file part fills index 0; the string sits at index 1
    result = response.json()["data"]["createInteraction"]
    assert result["interaction"] is None
    assert [e["field"] for e in result["errors"]] == ["attachments.1"]
    stored = [p for p in (api.app.state.settings.storage_dir).rglob("*") if p.is_file()]
    assert not any(p.read_bytes() == b"fine" for p in stored)


async def test_an_oversized_file_is_refused_and_not_kept(api, monkeypatch):
    # given a cap of 1 KiB for this test
    token, customer = await _rep_and_customer(api)
    monkeypatch.setattr(
        Context,
        "config",
        property(lambda self: replace(self.services.config, max_upload_bytes=1024)),
    )
    big = b"%PDF-1.4\n" + b"x" * 4096
    # when
    response = await _upload(api, token, customer, {"0": ("big.pdf", big, "application/pdf")})
    # then
    result = response.json()["data"]["createInteraction"]
    assert result["interaction"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("attachments.0", "TOO_LARGE")]
    stored = api.app.state.settings.storage_dir.rglob("*")
    assert not any(p.is_file() and p.read_bytes().startswith(b"%PDF-1.4\nxxx") for p in stored)


async def test_a_multipart_request_without_the_csrf_header_is_refused(api):
    token, customer = await _rep_and_customer(api)
    response = await _upload(
        api, token, customer, {"0": ("quote.pdf", PDF, "application/pdf")}, headers={}
    )
    assert response.status_code == 400
    assert "X-CSRF-Protection" in response.text


async def test_apollo_require_preflight_also_passes_the_csrf_guard(api):
    token, customer = await _rep_and_customer(api)
    response = await _upload(
        api,
        token,
        customer,
        {"0": ("quote.pdf", PDF, "application/pdf")},
        headers={"Apollo-Require-Preflight": "true"},
    )
    assert response.json()["data"]["createInteraction"]["errors"] == []
