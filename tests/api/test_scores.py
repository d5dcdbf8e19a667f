"""Engagement and relationship scores through the API, with hand-computed expectations.

The fixture customer (Aarav), seen from now:

    meeting 5 days ago      10 × 1.0 = 10       call 45 days ago   6 × 0.6 = 3.6
    email 70 days ago        3 × 0.3 = 0.9      order 10 days ago 12 × 1.0 = 12
    quotation accepted 20 days ago              8 × 1.0 = 8
    engagement = round(34.5) = 35 (MODERATELY_ENGAGED), 3 interactions in 90 days

    relationship components
      interactions  70 × 3/12 + 30 × 2/3 = 17.5 + 20 = 37.5       → 38
      quotations    1 answered of 1 sent                          → 100
      purchases     1 order in 365 days, first 10 days ago:
                    60 × 1/12 + 40 × 10/1095 = 5 + 0.37           → 5
      engagement                                                  → 35
      risk          the order (due on its date) is unpaid: −20;
                    12,000 of a 100,000 limit is fine             → 80
      score 0.25×38 + 0.15×100 + 0.25×5 + 0.15×35 + 0.20×80
            = 9.5 + 15 + 1.25 + 5.25 + 16 = 47                     → 47 (D)
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert

from models import Quotation, QuotationStatusChange
from models.enums import InteractionKind, QuotationStatus, Role
from resolvers.config import DomainConfig, EngagementThresholds
from resolvers.relationship_refresh import refresh_scores
from tests.api import segment_fixtures as fx
from tests.api.test_sales_documents import Desk, desk  # noqa: F401 - the fixture
from tests.contract_checks.operations import operation

SCORES = """query($id: ID!) { customer(id: $id) {
    engagement { score level interactionsLast90Days lastInteractionAt }
    relationshipScore { score grade computedAt components { name weight score detail } } } }"""
LOG_INTERACTION = operation("LogInteraction")
UPDATE_INTERACTION = operation("UpdateInteraction")


async def _answered_quotation(api, customer_id: int, *, days_ago: int) -> None:
    at = fx.now() - dt.timedelta(days=days_ago)
    async with api.db.write_session() as session:
        quotation_id = (
            await session.execute(
                insert(Quotation)
                .values(
                    number=f"SQ-A{days_ago:04d}",
                    customer_id=customer_id,
                    status=QuotationStatus.ACCEPTED,
                    total="1000.00",
                    sent_at=at - dt.timedelta(days=1),
                    created_at=at,
                    updated_at=at,
                )
                .returning(Quotation.id)
            )
        ).scalar_one()
        await session.execute(
            insert(QuotationStatusChange).values(
                quotation_id=quotation_id, from_status="SENT", to_status="ACCEPTED", changed_at=at
            )
        )
        await session.commit()


async def _aarav(api) -> int:
    customer_id = await fx.add_customer(api, "Aarav Industries", credit_limit="100000.00")
    for kind, days in (
        (InteractionKind.MEETING, 5),
        (InteractionKind.CALL, 45),
        (InteractionKind.EMAIL, 70),
    ):
        await fx.add_interaction(api, customer_id, kind, days_ago=days)
    await fx.add_order(api, customer_id, "12000.00", on=fx.today() - dt.timedelta(days=10))
    await _answered_quotation(api, customer_id, days_ago=20)
    return customer_id


async def _refresh(api, *, now: dt.datetime | None = None, config: DomainConfig | None = None):
    async with api.db.write_session() as session:
        await refresh_scores(session, now=now or fx.now(), config=config)
        await session.commit()


async def _scores(api, customer_id: int) -> dict:
    client, _ = await api.client_for(Role.VIEWER)
    return (await client.data(SCORES, {"id": str(customer_id)}))["customer"]


async def test_engagement_score_is_the_hand_computed_weighted_sum(api):
    # given Aarav's interactions, order and answered quotation
    customer_id = await _aarav(api)
    # when everyone's scores are refreshed
    await _refresh(api)
    # then the engagement is 35, moderately engaged, over 3 interactions
    engagement = (await _scores(api, customer_id))["engagement"]
    assert (engagement["score"], engagement["level"], engagement["interactionsLast90Days"]) == (
        35,
        "MODERATELY_ENGAGED",
        3,
    )


async def test_engagement_reports_the_last_interaction(api):
    customer_id = await _aarav(api)
    await _refresh(api)
    engagement = (await _scores(api, customer_id))["engagement"]
    last = dt.datetime.fromisoformat(engagement["lastInteractionAt"])
    assert abs(last - (fx.now() - dt.timedelta(days=5))) < dt.timedelta(minutes=5)


async def test_engagement_decays_as_activity_ages(api):
    # given Aarav's activity, refreshed 35 days from now: meeting 40 days old (6), call 80
    # (1.8), email out of the window, order 45 (7.2), quotation answer 55 (4.8) = 19.8
    customer_id = await _aarav(api)
    await _refresh(api, now=fx.now() + dt.timedelta(days=35))
    engagement = (await _scores(api, customer_id))["engagement"]
    assert (engagement["score"], engagement["level"]) == (20, "LOW_ENGAGEMENT")


async def test_engagement_levels_follow_the_configured_thresholds(api):
    customer_id = await _aarav(api)
    config = DomainConfig(engagement=EngagementThresholds(highly=35, moderately=10))
    await _refresh(api, config=config)
    assert (await _scores(api, customer_id))["engagement"]["level"] == "HIGHLY_ENGAGED"


async def test_relationship_score_is_the_hand_computed_weighted_sum(api):
    customer_id = await _aarav(api)
    await _refresh(api)
    score = (await _scores(api, customer_id))["relationshipScore"]
    assert [c["score"] for c in score["components"]] == [38, 100, 5, 35, 80]
    assert (score["score"], score["grade"]) == (47, "D")


async def test_relationship_components_carry_weights_and_details(api):
    customer_id = await _aarav(api)
    await _refresh(api)
    components = (await _scores(api, customer_id))["relationshipScore"]["components"]
    assert [c["weight"] for c in components] == [0.25, 0.15, 0.25, 0.15, 0.2]
    assert components[4]["detail"] == "1 order past due with a balance"


async def test_customer_without_computed_scores_has_none(api):
    customer_id = await fx.add_customer(api, "Chen Imports")
    assert await _scores(api, customer_id) == {"engagement": None, "relationshipScore": None}


async def test_logging_an_interaction_refreshes_the_scores(api):
    # given a customer never scored
    client, _ = await api.client_for(Role.SALES)
    customer_id = await fx.add_customer(api, "Bhavya Traders")
    # when a meeting is logged now
    variables = {"input": {"customerId": str(customer_id), "kind": "MEETING", "subject": "Visit"}}
    assert (await client.data(LOG_INTERACTION, variables))["createInteraction"]["errors"] == []
    # then it is worth 10 points at once
    scores = await _scores(api, customer_id)
    assert scores["engagement"]["score"] == 10
    assert scores["relationshipScore"] is not None


async def test_cancelling_an_interaction_refreshes_the_scores(api):
    # given a pending meeting logged now (10 points)
    client, _ = await api.client_for(Role.SALES)
    customer_id = await fx.add_customer(api, "Bhavya Traders")
    variables = {
        "input": {
            "customerId": str(customer_id),
            "kind": "MEETING",
            "subject": "Visit",
            "status": "PENDING",
        }
    }
    logged = (await client.data(LOG_INTERACTION, variables))["createInteraction"]
    assert (await _scores(api, customer_id))["engagement"]["score"] == 10
    # when it is cancelled
    cancel = {"input": {"id": logged["interaction"]["id"], "status": "CANCELLED"}}
    assert (await client.data(UPDATE_INTERACTION, cancel))["updateInteraction"]["errors"] == []
    # then it no longer counts
    assert (await _scores(api, customer_id))["engagement"]["score"] == 0


async def test_accepting_a_quotation_refreshes_the_scores(api, desk: Desk):  # noqa: F811
    await desk.quotation_in("ACCEPTED")
    # an answer today: 8 points
    assert (await _scores(api, int(desk.customer_id)))["engagement"]["score"] == 8


async def test_creating_an_order_refreshes_the_scores(api, desk: Desk):  # noqa: F811
    await desk.order_from_lines()
    # an order today: 12 points
    assert (await _scores(api, int(desk.customer_id)))["engagement"]["score"] == 12


async def test_refresh_scores_task_refreshes_everyone(api):
    from app.scheduler import run_task

    customer_id = await _aarav(api)
    platform = api.app.state.platform
    result = await run_task(platform, "refresh-scores", now=fx.now())
    assert result == {"refreshed": 1}
    assert (await _scores(api, customer_id))["relationshipScore"]["score"] == 47
