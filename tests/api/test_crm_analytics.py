"""``crmAnalytics`` (contract ``CrmAnalytics``) over a hand-built month.

period           the last 30 business days, today included
customers        Aarav created now (counts), Bhavya 100 days ago (does not)
orders           1,000 five days ago; 500 cancelled; 2,000 forty days ago (outside)
interactions     a meeting and two calls in the period; an email 50 days ago (outside)
tasks            due 10 days ago, open (overdue); due later today, open; due 10 days
                 ago, completed 5 days ago (late); due 2 days ago, completed 3 days ago
quotations       sent 5, 6, 7 days ago: ACCEPTED, REJECTED, SENT; one sent 60 days
                 ago and accepted (outside)
scores           40 and 61 stored → average 50.5
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, update

from models import CustomerRelationshipScore, FollowUpTask
from models.enums import InteractionKind, OrderStatus, QuotationStatus, Role, TaskStatus
from tests.api import interaction_support as tasks_fx
from tests.api import segment_fixtures as fx
from tests.contract_checks.operations import operation
from tests.support import error_codes

CRM_ANALYTICS = operation("CrmAnalytics")


def _days_ago(days: int) -> dt.date:
    return fx.today() - dt.timedelta(days=days)


async def _task(api, customer_id: int, user_id: int, *, due: dt.datetime, **completed) -> None:
    task_id = await tasks_fx.make_task(
        api, customer_id=customer_id, assignee_id=user_id, due_at=due
    )
    if completed:
        async with api.db.write_session() as session:
            await session.execute(
                update(FollowUpTask)
                .where(FollowUpTask.id == task_id)
                .values(status=TaskStatus.COMPLETED, **completed)
            )
            await session.commit()


async def _month(api, user_id: int) -> None:
    a = await fx.add_customer(api, "Aarav Industries")
    b = await fx.add_customer(api, "Bhavya Traders", created_at=fx.now() - dt.timedelta(days=100))
    await fx.add_order(api, a, "1000.00", on=_days_ago(5))
    await fx.add_order(api, a, "500.00", on=_days_ago(3), status=OrderStatus.CANCELLED)
    await fx.add_order(api, b, "2000.00", on=_days_ago(40))
    for kind, days in (
        (InteractionKind.MEETING, 2),
        (InteractionKind.CALL, 3),
        (InteractionKind.CALL, 4),
        (InteractionKind.EMAIL, 50),
    ):
        await fx.add_interaction(api, a, kind, days_ago=days)
    noon = fx.local_noon
    await _task(api, a, user_id, due=noon(_days_ago(10)))
    await _task(api, a, user_id, due=noon(fx.today()) + dt.timedelta(hours=11))
    await _task(
        api,
        a,
        user_id,
        due=noon(_days_ago(10)),
        completed_at=noon(_days_ago(5)),
        completed_late=True,
    )
    await _task(
        api,
        a,
        user_id,
        due=noon(_days_ago(2)),
        completed_at=noon(_days_ago(3)),
        completed_late=False,
    )
    for days, status in (
        (5, QuotationStatus.ACCEPTED),
        (6, QuotationStatus.REJECTED),
        (7, QuotationStatus.SENT),
        (60, QuotationStatus.ACCEPTED),
    ):
        await fx.add_quotation(api, a, sent_on=_days_ago(days), status=status)
    async with api.db.write_session() as session:
        await session.execute(
            insert(CustomerRelationshipScore),
            [
                {
                    "customer_id": c,
                    "score": s,
                    "grade": "D",
                    "components": [],
                    "computed_at": fx.now(),
                }
                for c, s in ((a, 40), (b, 61))
            ],
        )
        await session.commit()


async def _analytics(api, variables: dict | None = None) -> dict:
    client, actor = await api.client_for(Role.VIEWER)
    await _month(api, actor.id)
    period = {"from": _days_ago(29).isoformat(), "to": fx.today().isoformat()}
    variables = period if variables is None else variables
    return (await client.data(CRM_ANALYTICS, variables))["crmAnalytics"]


async def test_crm_analytics_counts_customers_created_in_the_period(api):
    assert (await _analytics(api))["newCustomers"] == 1


async def test_crm_analytics_revenue_is_uncancelled_orders_dated_in_the_period(api):
    assert (await _analytics(api))["revenue"] == "1000.00"


async def test_crm_analytics_counts_interactions_of_every_kind_in_the_period(api):
    counts = {k["kind"]: k["count"] for k in (await _analytics(api))["interactionsByKind"]}
    assert counts == {"MEETING": 1, "CALL": 2, "EMAIL": 0, "NOTE": 0, "FOLLOW_UP": 0}


async def test_crm_analytics_counts_open_overdue_and_on_time_tasks(api):
    assert (await _analytics(api))["tasks"] == {
        "open": 2,
        "overdue": 1,
        "completed": 2,
        "completedOnTime": 1,
    }


async def test_crm_analytics_quotations_use_the_conversion_definition(api):
    quotations = (await _analytics(api))["quotations"]
    assert (quotations["sent"], quotations["accepted"], quotations["rejected"]) == (3, 1, 1)
    assert abs(quotations["conversionRate"] - 1 / 3) < 1e-9


async def test_crm_analytics_averages_the_stored_relationship_scores(api):
    assert (await _analytics(api))["averageRelationshipScore"] == 50.5


async def test_crm_analytics_defaults_to_the_trailing_year(api):
    # the 2,000 order forty days ago and the quotation sent 60 days ago now count too
    analytics = await _analytics(api, {})
    assert analytics["revenue"] == "3000.00"
    assert analytics["quotations"]["sent"] == 4


async def test_crm_analytics_with_from_after_to_is_a_bad_input(api):
    client, _ = await api.client_for(Role.VIEWER)
    body = await client.post(CRM_ANALYTICS, {"from": "2026-02-01", "to": "2026-01-01"})
    assert error_codes(body) == ["BAD_USER_INPUT"]
