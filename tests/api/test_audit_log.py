"""The audit log: every mutation call is recorded, whatever its outcome; ADMINs read it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import update

import resolvers.customers
from models import AuditLogEntry, AuditOutcome
from models.enums import Role
from schema.audit_hook import input_ids, payload_outcome
from schema.root import schema
from tests.api.access_support import create_api_key, create_customer
from tests.api.test_roles import REQUESTS
from tests.support import error_codes

AUDIT_LOG = """query AuditLog($filter: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id occurredAt actor { id } apiKeyId mutation operationName targetIds outcome
      errorCodes clientAddress requestId
    } }
  } }"""


async def entries(admin, **filter_) -> list[dict]:
    data = await admin.data(AUDIT_LOG, {"filter": filter_ or None, "first": 100})
    return [edge["node"] for edge in data["auditLog"]["edges"]]


async def entries_for(admin, mutation: str) -> list[dict]:
    return await entries(admin, operation=mutation)


async def test_a_successful_mutation_is_recorded_with_who_what_where_and_which_request(api):
    # given
    admin, _ = await api.client_for(Role.ADMIN)
    rep_client, rep = await api.client_for(Role.SALES)
    # when
    response = await rep_client.http.post(
        "/graphql",
        json={
            "query": """mutation NewCustomer { createCustomer(input: {
                name: "Audit Traders", businessType: SMALL_BUSINESS }) { customer { id } } }""",
        },
        headers={"Authorization": f"Bearer {rep_client.token}", "X-Request-ID": "req-audit-1"},
    )
    customer_id = response.json()["data"]["createCustomer"]["customer"]["id"]
    # then
    [entry] = await entries_for(admin, "createCustomer")
    assert entry | {"id": None, "occurredAt": None} == {
        "id": None,
        "occurredAt": None,
        "actor": {"id": str(rep.id)},
        "apiKeyId": None,
        "mutation": "createCustomer",
        "operationName": "NewCustomer",
        "targetIds": [customer_id],
        "outcome": "SUCCEEDED",
        "errorCodes": [],
        "clientAddress": "127.0.0.1",
        "requestId": "req-audit-1",
    }
    occurred_at = dt.datetime.fromisoformat(entry["occurredAt"])
    assert abs(dt.datetime.now(dt.UTC) - occurred_at) < dt.timedelta(minutes=1)


async def test_a_mutation_refused_for_the_callers_role_is_recorded_as_refused(api):
    admin, _ = await api.client_for(Role.ADMIN)
    viewer_client, viewer = await api.client_for(Role.VIEWER)
    assert error_codes(await create_customer(viewer_client)) == ["FORBIDDEN"]
    [entry] = await entries_for(admin, "createCustomer")
    assert (entry["actor"], entry["outcome"], entry["errorCodes"]) == (
        {"id": str(viewer.id)},
        "REFUSED",
        ["FORBIDDEN"],
    )


async def test_an_anonymous_mutation_is_recorded_as_refused_without_an_actor(api):
    admin, _ = await api.client_for(Role.ADMIN)
    await create_customer(api.client)
    [entry] = await entries_for(admin, "createCustomer")
    assert (entry["actor"], entry["outcome"], entry["errorCodes"]) == (
        None,
        "REFUSED",
        ["UNAUTHENTICATED"],
    )


async def test_a_mutation_with_payload_errors_is_recorded_as_failed_with_their_codes(api):
    admin, _ = await api.client_for(Role.ADMIN)
    rep_client, _ = await api.client_for(Role.SALES)
    body = await rep_client.post(
        """mutation { updateCustomer(input: { id: "424242", name: "X" }) {
            customer { id } errors { code } } }"""
    )
    assert body["data"]["updateCustomer"]["errors"] == [{"code": "NOT_FOUND"}]
    [entry] = await entries_for(admin, "updateCustomer")
    assert (entry["outcome"], entry["errorCodes"], entry["targetIds"]) == (
        "FAILED",
        ["NOT_FOUND"],
        ["424242"],
    )


async def test_an_unexpected_error_is_recorded_as_an_error(api, monkeypatch):
    async def explode(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(resolvers.customers, "create_customer", explode)
    admin, _ = await api.client_for(Role.ADMIN)
    rep_client, _ = await api.client_for(Role.SALES)
    assert error_codes(await create_customer(rep_client)) == ["INTERNAL_SERVER_ERROR"]
    [entry] = await entries_for(admin, "createCustomer")
    assert (entry["outcome"], entry["errorCodes"]) == ("ERROR", ["INTERNAL_SERVER_ERROR"])


async def test_a_failed_sign_in_is_recorded_without_the_password(api):
    admin, _ = await api.client_for(Role.ADMIN)
    await api.client.post(
        'mutation { login(email: "nobody@sanvi.test", password: "hunter2 secret") { token } }'
    )
    [entry] = await entries_for(admin, "login")
    assert (entry["actor"], entry["outcome"], entry["errorCodes"]) == (
        None,
        "FAILED",
        ["INVALID_CREDENTIALS"],
    )
    assert "hunter2" not in str(entry)


async def test_a_mutation_made_with_an_api_key_records_the_key_and_its_creator(api):
    admin, me = await api.client_for(Role.ADMIN)
    key = await create_api_key(admin, role="SALES")
    await create_customer(admin.as_user(key["secret"]))
    [entry] = await entries_for(admin, "createCustomer")
    assert (entry["actor"], entry["apiKeyId"]) == ({"id": str(me.id)}, key["apiKey"]["id"])


async def test_the_secret_of_a_new_api_key_is_not_recorded(api):
    admin, _ = await api.client_for(Role.ADMIN)
    key = await create_api_key(admin)
    [entry] = await entries_for(admin, "createApiKey")
    assert entry["targetIds"] == [key["apiKey"]["id"]]
    assert key["secret"] not in str(entry)


async def test_every_mutation_is_recorded_even_when_refused(api):
    # given every mutation the role matrix knows how to call
    admin, _ = await api.client_for(Role.ADMIN)
    mutations = [f.name for f in schema.get_type_by_name("Mutation").fields]
    names = [name for name in REQUESTS if name in {*mutations}]
    # when an anonymous caller calls each
    for name in names:
        await api.client.post(REQUESTS[name])
    # then each left an entry
    recorded = {entry["mutation"] for entry in await entries(admin)}
    assert set(names) <= recorded


@pytest.fixture
async def three_calls(api):
    """Three recorded calls: a rep's success and refusal, and a viewer's refusal."""
    admin, _ = await api.client_for(Role.ADMIN)
    rep_client, rep = await api.client_for(Role.SALES)
    viewer_client, viewer = await api.client_for(Role.VIEWER)
    body = await create_customer(rep_client, "Filter Traders")
    customer_id = body["data"]["createCustomer"]["customer"]["id"]
    await rep_client.post(
        'mutation($id: ID!) { updateCreditLimit(input: { customerId: $id, newLimit: "1.00", '
        'reason: "x" }) { errors { code } } }',
        {"id": customer_id},
    )
    await create_customer(viewer_client)
    return admin, rep, viewer, customer_id


async def test_the_log_filters_by_actor(api, three_calls):
    admin, rep, _, _ = three_calls
    found = await entries(admin, actorId=str(rep.id))
    assert [e["mutation"] for e in found] == ["updateCreditLimit", "createCustomer"]


async def test_the_log_filters_by_outcome(api, three_calls):
    admin, rep, viewer, _ = three_calls
    found = await entries(admin, outcome="REFUSED")
    assert [(e["mutation"], e["actor"]["id"]) for e in found] == [
        ("createCustomer", str(viewer.id)),
        ("updateCreditLimit", str(rep.id)),
    ]


async def test_the_log_filters_by_target_id(api, three_calls):
    admin, _, _, customer_id = three_calls
    found = await entries(admin, targetId=customer_id)
    assert [e["mutation"] for e in found] == ["updateCreditLimit", "createCustomer"]


async def test_the_log_filters_by_time_window(api, three_calls):
    admin, *_ = three_calls
    async with api.db.write_session() as session:
        await session.execute(
            update(AuditLogEntry)
            .where(AuditLogEntry.mutation == "createCustomer")
            .values(occurred_at=dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
        )
        await session.commit()
    found = await entries(admin, **{"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"})
    assert [e["mutation"] for e in found] == ["createCustomer", "createCustomer"]
    later = await entries(admin, **{"from": "2026-02-01T00:00:00Z"})
    assert "createCustomer" not in [e["mutation"] for e in later]


async def test_the_log_pages_newest_first_with_cursors(api, three_calls):
    admin, *_ = three_calls
    everything = await entries(admin)
    seen, after = [], None
    while True:
        data = await admin.data(AUDIT_LOG, {"first": 2, "after": after})
        page = data["auditLog"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [e["id"] for e in everything]
    times = [e["occurredAt"] for e in everything]
    assert times == sorted(times, reverse=True)


async def test_no_mutation_can_change_or_delete_the_log(api):
    mutations = [f.name for f in schema.get_type_by_name("Mutation").fields]
    assert [name for name in mutations if "audit" in name.lower()] == []


async def test_reading_the_log_is_not_itself_a_mutation_and_adds_nothing(api):
    admin, _ = await api.client_for(Role.ADMIN)
    await entries(admin)
    assert await entries(admin) == []


def test_a_payload_error_from_a_row_level_rule_counts_as_a_refusal():
    payload = SimpleNamespace(errors=[SimpleNamespace(code="FORBIDDEN")])
    assert payload_outcome(payload) == (AuditOutcome.REFUSED, ["FORBIDDEN"])


def test_target_ids_are_read_from_id_arguments_at_any_depth_and_nothing_else():
    arguments = {
        "input": {
            "segmentId": "4",
            "customerIds": ["7", "8"],
            "notes": "call 9",
            "lines": [{"productId": 11, "quantity": 2}],
        },
        "password": "not an id",
        "id": "5",
    }
    assert sorted(input_ids(arguments), key=int) == ["4", "5", "7", "8", "11"]
