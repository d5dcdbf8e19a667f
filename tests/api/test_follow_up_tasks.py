"""Follow-up tasks: the task list (contract ``MyTasks``), creating and completing them
(``CreateFollowUpTask``, ``CompleteFollowUpTask``), reassigning and cancelling under the
row-level rule, and a page of customers' open tasks in a constant number of statements."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from models import FollowUpTask
from models.enums import Role, TaskStatus
from tests.api.interaction_support import make_customer, make_task
from tests.contract_checks.operations import operation
from tests.support import error_codes

MY_TASKS = operation("MyTasks")
CREATE_TASK = operation("CreateFollowUpTask")
COMPLETE_TASK = operation("CompleteFollowUpTask")
KOLKATA = ZoneInfo("Asia/Kolkata")
REASSIGN = """mutation($id: ID!, $to: ID!) { reassignFollowUpTask(id: $id, assigneeId: $to) {
    task { id assignee { id } } errors { field code } } }"""
CANCEL = """mutation($id: ID!, $reason: String!) { cancelFollowUpTask(id: $id, reason: $reason) {
    task { id status cancelReason } errors { field code } } }"""
# The tasks part of the contract's CustomerDashboard, and nothing else.
DASHBOARD_TASKS = """query($first: Int) { customers(first: $first) { edges { node { id
    openTasks: followUpTasks(filter: { statuses: [OPEN] }, first: 3) {
        totalCount edges { node { id title dueAt isOverdue } } } } } } }"""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _titles(body) -> list[str]:
    return [e["node"]["title"] for e in body["followUpTasks"]["edges"]]


async def test_create_follow_up_task_defaults_to_the_caller(api):
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    due = (_now() + dt.timedelta(days=1)).isoformat()
    body = await client.data(
        CREATE_TASK,
        {"input": {"customerId": str(customer), "title": "Send brochure", "dueAt": due}},
    )
    task = body["createFollowUpTask"]["task"]
    assert body["createFollowUpTask"]["errors"] == []
    assert task["status"] == "OPEN"
    assert task["priority"] == "MEDIUM"
    assert task["assignee"] == {"id": str(rep.id)}
    assert task["customer"] == {"id": str(customer)}


async def test_a_task_for_an_inactive_or_unknown_assignee_is_refused(api):
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    body = await client.data(
        CREATE_TASK,
        {
            "input": {
                "customerId": str(customer),
                "title": "x",
                "dueAt": _now().isoformat(),
                "assigneeId": "999999",
            }
        },
    )
    assert body["createFollowUpTask"]["errors"][0]["field"] == "assigneeId"


async def test_my_tasks_lists_only_the_callers_tasks_by_due_date(api):
    # given
    client, rep = await api.client_for(Role.SALES)
    other = await api.make_user(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    now = _now()
    await make_task(
        api,
        customer_id=customer,
        assignee_id=rep.id,
        due_at=now + dt.timedelta(days=2),
        title="later",
    )
    await make_task(
        api,
        customer_id=customer,
        assignee_id=rep.id,
        due_at=now + dt.timedelta(days=1),
        title="sooner",
    )
    await make_task(api, customer_id=customer, assignee_id=other.id, due_at=now, title="theirs")
    # when
    body = await client.data(MY_TASKS, {})
    # then
    assert _titles(body) == ["sooner", "later"]
    assert body["followUpTasks"]["totalCount"] == 2
    node = body["followUpTasks"]["edges"][0]["node"]
    assert node["customer"]["id"] == str(customer)
    assert node["assignee"]["id"] == str(rep.id)
    assert node["isOverdue"] is False


async def test_my_tasks_pages_by_due_date_then_id_without_gaps(api):
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    same = _now() + dt.timedelta(days=1)
    for n in range(5):
        await make_task(api, customer_id=customer, assignee_id=rep.id, due_at=same, title=f"T{n}")
    seen, after = [], None
    while True:
        body = await client.data(MY_TASKS, {"first": 2, "after": after})
        seen += _titles(body)
        info = body["followUpTasks"]["pageInfo"]
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert seen == ["T0", "T1", "T2", "T3", "T4"]


async def test_a_sales_rep_may_not_list_everyones_tasks(api):
    client, _ = await api.client_for(Role.SALES)
    body = await client.post(MY_TASKS, {"filter": {"anyAssignee": True}})
    assert error_codes(body) == ["FORBIDDEN"]


async def test_a_manager_may_list_everyones_tasks_or_one_reps(api):
    manager, _ = await api.client_for(Role.MANAGER)
    rep = await api.make_user(Role.SALES)
    other = await api.make_user(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    await make_task(api, customer_id=customer, assignee_id=rep.id, due_at=_now(), title="a")
    await make_task(api, customer_id=customer, assignee_id=other.id, due_at=_now(), title="b")
    everyone = await manager.data(MY_TASKS, {"filter": {"anyAssignee": True}})
    assert sorted(_titles(everyone)) == ["a", "b"]
    one = await manager.data(MY_TASKS, {"filter": {"assigneeId": str(rep.id)}})
    assert _titles(one) == ["a"]


async def test_the_overdue_filter_uses_the_business_day(api):
    # given a task due yesterday (business time), one due earlier today, one tomorrow
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    today = dt.datetime.now(KOLKATA).replace(hour=0, minute=0, second=0, microsecond=0)
    await make_task(
        api,
        customer_id=customer,
        assignee_id=rep.id,
        due_at=today - dt.timedelta(minutes=1),
        title="yesterday",
    )
    await make_task(api, customer_id=customer, assignee_id=rep.id, due_at=today, title="today")
    await make_task(
        api,
        customer_id=customer,
        assignee_id=rep.id,
        due_at=today + dt.timedelta(days=1),
        title="tomorrow",
    )
    # when / then
    overdue = await client.data(MY_TASKS, {"filter": {"overdue": True}})
    assert _titles(overdue) == ["yesterday"]
    assert overdue["followUpTasks"]["edges"][0]["node"]["isOverdue"] is True
    not_overdue = await client.data(MY_TASKS, {"filter": {"overdue": False}})
    assert _titles(not_overdue) == ["today", "tomorrow"]


async def test_tasks_filter_by_status_customer_and_due_range(api):
    client, rep = await api.client_for(Role.SALES)
    first = await make_customer(api, owner_id=rep.id)
    second = await make_customer(api, owner_id=rep.id)
    now = _now()
    await make_task(api, customer_id=first, assignee_id=rep.id, due_at=now, title="open-1")
    await make_task(
        api,
        customer_id=second,
        assignee_id=rep.id,
        due_at=now + dt.timedelta(days=3),
        title="open-2",
    )
    await make_task(
        api,
        customer_id=first,
        assignee_id=rep.id,
        due_at=now,
        title="done",
        status=TaskStatus.COMPLETED,
    )
    assert _titles(await client.data(MY_TASKS, {"filter": {"statuses": ["COMPLETED"]}})) == ["done"]
    by_customer = await client.data(MY_TASKS, {"filter": {"customerId": str(second)}})
    assert _titles(by_customer) == ["open-2"]
    window = {
        "dueFrom": (now + dt.timedelta(days=1)).isoformat(),
        "dueBefore": (now + dt.timedelta(days=4)).isoformat(),
    }
    assert _titles(await client.data(MY_TASKS, {"filter": window})) == ["open-2"]


async def test_completing_records_outcome_time_and_person(api):
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    task = await make_task(
        api, customer_id=customer, assignee_id=rep.id, due_at=_now() + dt.timedelta(days=1)
    )
    body = await client.data(COMPLETE_TASK, {"id": str(task), "outcome": "Order promised"})
    result = body["completeFollowUpTask"]
    assert result["errors"] == []
    assert result["task"]["status"] == "COMPLETED"
    assert result["task"]["outcome"] == "Order promised"
    assert result["task"]["completedBy"] == {"id": str(rep.id)}
    assert result["task"]["completedAt"] is not None
    async with api.db.read_session() as session:
        assert (await session.get(FollowUpTask, task)).completed_late is False


async def test_completing_after_the_due_day_is_recorded_as_late(api):
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    task = await make_task(
        api, customer_id=customer, assignee_id=rep.id, due_at=_now() - dt.timedelta(days=2)
    )
    await client.data(COMPLETE_TASK, {"id": str(task), "outcome": "Late but done"})
    async with api.db.read_session() as session:
        assert (await session.get(FollowUpTask, task)).completed_late is True


async def test_completing_needs_an_outcome(api):
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    task = await make_task(api, customer_id=customer, assignee_id=rep.id, due_at=_now())
    body = await client.data(COMPLETE_TASK, {"id": str(task), "outcome": "  "})
    assert [(e["field"], e["code"]) for e in body["completeFollowUpTask"]["errors"]] == [
        ("outcome", "VALIDATION_ERROR")
    ]


async def test_a_completed_task_cannot_be_completed_again(api):
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    task = await make_task(api, customer_id=customer, assignee_id=rep.id, due_at=_now())
    await client.data(COMPLETE_TASK, {"id": str(task), "outcome": "done"})
    body = await client.data(COMPLETE_TASK, {"id": str(task), "outcome": "again"})
    assert [e["code"] for e in body["completeFollowUpTask"]["errors"]] == ["CONFLICT"]


async def test_another_sales_rep_may_not_complete_reassign_or_cancel_a_task(api):
    # given a task of someone else, on someone else's customer
    owner = await api.make_user(Role.SALES)
    customer = await make_customer(api, owner_id=owner.id)
    task = await make_task(api, customer_id=customer, assignee_id=owner.id, due_at=_now())
    stranger, _ = await api.client_for(Role.SALES)
    # when / then: a FORBIDDEN payload error each time, and the task is unchanged
    completed = await stranger.data(COMPLETE_TASK, {"id": str(task), "outcome": "x"})
    reassigned = await stranger.data(REASSIGN, {"id": str(task), "to": str(owner.id)})
    cancelled = await stranger.data(CANCEL, {"id": str(task), "reason": "x"})
    for result in (
        completed["completeFollowUpTask"],
        reassigned["reassignFollowUpTask"],
        cancelled["cancelFollowUpTask"],
    ):
        assert [(e["field"], e["code"]) for e in result["errors"]] == [("id", "FORBIDDEN")]
    async with api.db.read_session() as session:
        assert (await session.get(FollowUpTask, task)).status is TaskStatus.OPEN


async def test_the_customers_owner_may_cancel_a_task_assigned_to_someone_else(api):
    client, owner = await api.client_for(Role.SALES)
    assignee = await api.make_user(Role.SALES)
    customer = await make_customer(api, owner_id=owner.id)
    task = await make_task(api, customer_id=customer, assignee_id=assignee.id, due_at=_now())
    body = await client.data(CANCEL, {"id": str(task), "reason": "Customer closed"})
    assert body["cancelFollowUpTask"]["task"] == {
        "id": str(task),
        "status": "CANCELLED",
        "cancelReason": "Customer closed",
    }


async def test_a_manager_may_reassign_any_task(api):
    client, _ = await api.client_for(Role.MANAGER)
    rep = await api.make_user(Role.SALES)
    other = await api.make_user(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    task = await make_task(api, customer_id=customer, assignee_id=rep.id, due_at=_now())
    body = await client.data(REASSIGN, {"id": str(task), "to": str(other.id)})
    assert body["reassignFollowUpTask"] == {
        "task": {"id": str(task), "assignee": {"id": str(other.id)}},
        "errors": [],
    }


async def test_the_assignee_may_complete_a_task_on_someone_elses_customer(api):
    owner = await api.make_user(Role.SALES)
    client, assignee = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=owner.id)
    task = await make_task(api, customer_id=customer, assignee_id=assignee.id, due_at=_now())
    body = await client.data(COMPLETE_TASK, {"id": str(task), "outcome": "done"})
    assert body["completeFollowUpTask"]["errors"] == []


async def test_customer_open_tasks_show_the_first_three_by_due_date_with_a_total(api):
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    now = _now()
    for n in (4, 2, 3, 1):
        await make_task(
            api,
            customer_id=customer,
            assignee_id=rep.id,
            due_at=now + dt.timedelta(days=n),
            title=f"D{n}",
        )
    await make_task(
        api,
        customer_id=customer,
        assignee_id=rep.id,
        due_at=now,
        title="closed",
        status=TaskStatus.CANCELLED,
    )
    body = await client.data(DASHBOARD_TASKS, {"first": 10})
    tasks = body["customers"]["edges"][0]["node"]["openTasks"]
    assert [e["node"]["title"] for e in tasks["edges"]] == ["D1", "D2", "D3"]
    assert tasks["totalCount"] == 4


async def test_open_tasks_for_a_page_of_customers_cost_the_same_statements_at_2_and_12(api):
    client, rep = await api.client_for(Role.SALES)
    for _ in range(12):
        customer = await make_customer(api, owner_id=rep.id)
        for n in range(4):
            await make_task(
                api, customer_id=customer, assignee_id=rep.id, due_at=_now() + dt.timedelta(days=n)
            )

    async def statements(first: int) -> int:
        with api.count_statements() as counter:
            body = await client.data(DASHBOARD_TASKS, {"first": first})
        assert len(body["customers"]["edges"]) == first
        return counter.count

    assert await statements(2) == await statements(12)


async def test_tasks_created_by_an_interaction_reach_the_database_once(api):
    # the follow-up and the interaction are one unit of work: exactly one task row
    client, rep = await api.client_for(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    log = operation("LogInteraction")
    await client.data(
        log,
        {
            "input": {
                "customerId": str(customer),
                "kind": "CALL",
                "subject": "x",
                "followUpRequired": True,
            }
        },
    )
    async with api.db.read_session() as session:
        rows = (await session.execute(select(FollowUpTask.interaction_id))).all()
    assert len(rows) == 1 and rows[0].interaction_id is not None
