"""Concurrent writers neither fail nor collide (SQLite takes its write lock at BEGIN)."""

from __future__ import annotations

import asyncio

from models.enums import Role
from tests.contract_checks.operations import operation


async def test_simultaneous_customer_creations_all_succeed_with_distinct_codes(api):
    # given a sales rep
    client, _ = await api.client_for(Role.SALES)

    async def create(i: int) -> dict:
        variables = {"input": {"name": f"Parallel {i}", "businessType": "ENTERPRISE"}}
        return (await client.data(operation("CreateCustomer"), variables))["createCustomer"]

    # when twenty customers are created at once
    payloads = await asyncio.gather(*(create(i) for i in range(20)))
    # then every one is created, each with its own generated code
    assert [p["errors"] for p in payloads] == [[]] * 20
    codes = {p["customer"]["code"] for p in payloads}
    assert len(codes) == 20


async def test_simultaneous_edits_with_the_same_version_let_exactly_one_win(api):
    # given a customer at version 1
    client, _ = await api.client_for(Role.SALES)
    created = await client.data(
        operation("CreateCustomer"), {"input": {"name": "Race Ltd", "businessType": "ENTERPRISE"}}
    )
    customer_id = created["createCustomer"]["customer"]["id"]

    async def rename(i: int) -> dict:
        variables = {"input": {"id": customer_id, "version": 1, "name": f"Race {i}"}}
        return (await client.data(operation("UpdateCustomer"), variables))["updateCustomer"]

    # when ten edits of version 1 arrive together
    payloads = await asyncio.gather(*(rename(i) for i in range(10)))
    # then one succeeds and the other nine are told the version is stale
    winners = [p for p in payloads if not p["errors"]]
    assert len(winners) == 1
    assert winners[0]["customer"]["version"] == 2
    stale = [e["code"] for p in payloads for e in p["errors"]]
    assert stale == ["STALE_VERSION"] * 9
