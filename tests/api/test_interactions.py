"""Logging and changing interactions (contract ``LogInteraction``, ``UpdateInteraction``),
the automatic follow-up task, and ``customer.interactions`` with its filters."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from models.enums import Role
from tests.api.interaction_support import make_customer
from tests.contract_checks.operations import operation

LOG_INTERACTION = operation("LogInteraction")
UPDATE_INTERACTION = operation("UpdateInteraction")
KOLKATA = ZoneInfo("Asia/Kolkata")

INTERACTIONS = """query($id: ID!, $filter: InteractionFilter, $first: Int, $after: String) {
    customer(id: $id) { interactions(filter: $filter, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { node { id subject kind status priority tags occurredAt } } } } }"""


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat()


async def _log(client, customer_id: int, **fields):
    variables = {"input": {"customerId": str(customer_id), "kind": "CALL", "subject": "Call"}}
    variables["input"].update(fields)
    return (await client.data(LOG_INTERACTION, variables))["createInteraction"]


async def test_logging_a_call_returns_it_with_its_author(api):
    # given
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    # when
    result = await _log(
        client,
        customer,
        subject="Discussed the lathe order",
        notes="Wants delivery in May",
        priority="HIGH",
        outcome="Positive",
        durationMinutes=25,
    )
    # then
    assert result["errors"] == []
    interaction = result["interaction"]
    assert interaction["kind"] == "CALL"
    assert interaction["status"] == "COMPLETED"
    assert interaction["priority"] == "HIGH"
    assert interaction["durationMinutes"] == 25
    assert interaction["createdBy"] == {"id": str(rep.id), "name": rep.name}
    assert interaction["attachments"] == []
    assert result["followUpTask"] is None


async def test_tags_are_normalised_and_deduplicated(api):
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    result = await _log(client, customer, tags=["Key Account", "key-account", " Lathes "])
    assert result["interaction"]["tags"] == ["key-account", "lathes"]


async def test_an_interaction_in_the_future_is_refused(api):
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    result = await _log(client, customer, occurredAt=_iso(later))
    assert result["interaction"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        ("occurredAt", "VALIDATION_ERROR")
    ]


async def test_a_clock_a_minute_fast_is_tolerated(api):
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    assert (await _log(client, customer, occurredAt=_iso(soon)))["errors"] == []


async def test_an_unknown_customer_is_a_payload_error(api):
    client, _ = await api.client_for(Role.SALES)
    result = await _log(client, 999999)
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("customerId", "NOT_FOUND")]


async def test_a_required_follow_up_opens_a_task_for_the_owner_due_on_the_date(api):
    # given a customer owned by someone other than the author
    owner = await api.make_user(Role.SALES)
    client, _author = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=owner.id)
    day = (dt.datetime.now(KOLKATA) + dt.timedelta(days=3)).date()
    # when
    result = await _log(
        client, customer, subject="Demo", followUpRequired=True, followUpDate=day.isoformat()
    )
    # then: due 09:00 business time on that day, assigned to the owner
    task = result["followUpTask"]
    assert task["source"] == "INTERACTION"
    assert task["status"] == "OPEN"
    assert task["title"] == "Follow up: Demo"
    assert task["assignee"] == {"id": str(owner.id), "name": owner.name}
    due = dt.datetime.fromisoformat(task["dueAt"]).astimezone(KOLKATA)
    assert (due.date(), due.time()) == (day, dt.time(9, 0))
    assert result["interaction"]["followUpDate"] == day.isoformat()


async def test_without_a_date_the_follow_up_is_due_after_the_default_delay_for_the_author(api):
    client, author = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=None)
    before = dt.datetime.now(dt.UTC)
    task = (await _log(client, customer, followUpRequired=True))["followUpTask"]
    due = dt.datetime.fromisoformat(task["dueAt"])
    assert task["assignee"]["id"] == str(author.id)
    assert before + dt.timedelta(hours=48) <= due <= before + dt.timedelta(hours=48, minutes=1)


async def test_a_refused_interaction_opens_no_task(api):
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    result = await _log(client, customer, subject=" ", followUpRequired=True)
    assert result["followUpTask"] is None
    body = await client.data("{ followUpTasks { totalCount } }")
    assert body["followUpTasks"]["totalCount"] == 0


async def test_a_pending_interaction_can_be_completed_with_an_outcome(api):
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    logged = await _log(client, customer, status="PENDING")
    # when
    body = await client.data(
        UPDATE_INTERACTION,
        {
            "input": {
                "id": logged["interaction"]["id"],
                "status": "COMPLETED",
                "outcome": "Signed",
                "tags": ["Won Deal"],
                "priority": "URGENT",
            }
        },
    )
    # then
    assert body["updateInteraction"] == {
        "interaction": {
            "id": logged["interaction"]["id"],
            "status": "COMPLETED",
            "outcome": "Signed",
            "priority": "URGENT",
            "tags": ["won-deal"],
        },
        "errors": [],
    }


async def test_a_completed_interaction_cannot_be_reopened_or_cancelled(api):
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    logged = await _log(client, customer)
    for status in ("PENDING", "CANCELLED"):
        body = await client.data(
            UPDATE_INTERACTION, {"input": {"id": logged["interaction"]["id"], "status": status}}
        )
        assert [e["code"] for e in body["updateInteraction"]["errors"]] == ["CONFLICT"]


async def test_interactions_are_listed_newest_first_in_keyset_pages(api):
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for day in range(5):
        await _log(
            client, customer, subject=f"S{day}", occurredAt=_iso(start + dt.timedelta(days=day))
        )
    seen = []
    after = None
    while True:
        page = (await client.data(INTERACTIONS, {"id": str(customer), "first": 2, "after": after}))[
            "customer"
        ]["interactions"]
        seen += [e["node"]["subject"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == ["S4", "S3", "S2", "S1", "S0"]
    assert page["totalCount"] == 5


async def test_interactions_filter_by_kind_status_priority_tags_and_dates(api):
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    jan = dt.datetime(2026, 1, 10, tzinfo=dt.UTC)
    await _log(client, customer, subject="a", kind="MEETING", tags=["vip"], occurredAt=_iso(jan))
    await _log(client, customer, subject="b", kind="EMAIL", priority="HIGH", status="PENDING")
    await _log(client, customer, subject="c", kind="NOTE", tags=["other", "VIP"])

    async def subjects(flt):
        body = await client.data(INTERACTIONS, {"id": str(customer), "filter": flt})
        return sorted(e["node"]["subject"] for e in body["customer"]["interactions"]["edges"])

    assert await subjects({"kinds": ["MEETING", "NOTE"]}) == ["a", "c"]
    assert await subjects({"statuses": ["PENDING"]}) == ["b"]
    assert await subjects({"priorities": ["HIGH"]}) == ["b"]
    assert await subjects({"tags": ["Vip"]}) == ["a", "c"]
    assert await subjects({"occurredBefore": _iso(jan + dt.timedelta(days=1))}) == ["a"]
    assert await subjects({"occurredFrom": _iso(jan + dt.timedelta(days=1))}) == ["b", "c"]
