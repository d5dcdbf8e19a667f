"""Score benchmarks: the full set-based refresh of engagement and relationship scores, a
page of 100 customers with both scores, and ``crmAnalytics`` over a year.

Registered in ``scripts/benchmark.py``. The refresh rewrites the stored scores of every
customer in the data set (as the periodic ``refresh-scores`` task does); it runs only a
few times, being the heaviest statement set of the application.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from models.base import utcnow
from resolvers.config import DomainConfig
from resolvers.relationship_refresh import refresh_scores
from tests.contract_checks.operations import operation

if TYPE_CHECKING:
    from scripts.benchmark import Bench, Figure

REFRESH_RUNS = 3
_PAGE = """query($first: Int) { customers(first: $first) { edges { node { id
    engagement { score level interactionsLast90Days lastInteractionAt }
    relationshipScore { score grade computedAt components { name weight score detail } }
} } } }"""


async def bench_scores(bench: Bench) -> list[Figure]:
    async def refresh() -> None:
        async with bench.db.write_session() as session:
            await refresh_scores(session, now=utcnow(), config=DomainConfig())
            await session.commit()

    few = dataclasses.replace(bench, runs=min(REFRESH_RUNS, bench.runs))
    figures = [
        await few.measure(
            "refresh-scores (every customer)",
            refresh,
            note="engagement INSERT…SELECT, facts SELECT, batched upsert",
        )
    ]
    for first in (10, 100):
        figures.append(
            await bench.measure(
                f"customers first={first} + both scores",
                lambda first=first: bench.graphql(_PAGE, {"first": first}),
            )
        )
    today = DomainConfig().today()
    year = {"from": (today - dt.timedelta(days=364)).isoformat(), "to": today.isoformat()}
    figures.append(
        await bench.measure(
            "crmAnalytics over a year",
            lambda: bench.graphql(operation("CrmAnalytics"), year),
        )
    )
    return figures
