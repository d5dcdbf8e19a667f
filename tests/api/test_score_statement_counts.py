"""A page of customers with their scores costs the same statements at 10 and at 100."""

from __future__ import annotations

from models.enums import Role
from resolvers.relationship_refresh import refresh_scores
from tests.api.test_statement_counts import _many_customers
from tests.support import StatementCounter

PAGE = """query($first: Int) { customers(first: $first) { edges { node { id
    engagement { score level interactionsLast90Days lastInteractionAt }
    relationshipScore { score grade computedAt components { name weight score detail } }
} } } }"""


async def _statements_for(api, client, first: int) -> int:
    counter = StatementCounter()
    with counter.watching(api.db.engine):
        body = await client.data(PAGE, {"first": first})
    nodes = [edge["node"] for edge in body["customers"]["edges"]]
    assert len(nodes) == first
    assert all(n["engagement"] and n["relationshipScore"] for n in nodes)
    return counter.count


async def test_customer_scores_cost_the_same_statements_for_10_and_100_customers(api):
    # given 120 scored customers
    client, actor = await api.client_for(Role.VIEWER)
    await _many_customers(api, actor.id, 120)
    async with api.db.write_session() as session:
        await refresh_scores(session)
        await session.commit()
    # when a page with both scores is fetched at two sizes
    small = await _statements_for(api, client, 10)
    large = await _statements_for(api, client, 100)
    # then both cost the same, small number: one statement per score loader
    assert small == large
    assert large <= 6
