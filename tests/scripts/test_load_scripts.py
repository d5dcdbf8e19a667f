"""The load and fault scripts, each in a tiny configuration, so CI proves they still work.

Both need PostgreSQL and real server processes on loopback. Without PostgreSQL the tests
are skipped, except under ``CI=true``, where that fails the run (as for the whole suite).
The full-size runs and their figures are in the README ("Production").
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from scripts.fault_kill import fault_run
from scripts.load_test import RunConfig, load_run
from tests.support import (
    POSTGRES_ADMIN_URL,
    postgres_reachable,
    postgres_required,
    temporary_database,
)

pytestmark = pytest.mark.slow


@pytest_asyncio.fixture
async def postgres_url(tmp_path: Path) -> AsyncIterator[str]:
    if not await postgres_reachable():
        message = f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}"
        if postgres_required():
            pytest.fail(f"CI=true requires PostgreSQL. {message}")
        pytest.skip(message)
    async with temporary_database("postgresql", tmp_path) as url:
        yield url


async def test_load_run_with_a_cut_connection_outage_passes(
    postgres_url: str, tmp_path: Path
) -> None:
    # given: 4 clients for 4 s on 2 workers, the database's connections cut after 1.5 s
    config = RunConfig(
        clients=4,
        seconds=4,
        outage_at=1.5,
        outage="cut",
        outage_seconds=0.5,
        recovery_grace=1.5,
    )

    # when
    verdict = await load_run(
        postgres_url, tmp_path / "load", config=config, workers=2, customers=60, reps=2
    )

    # then: no errors outside the outage, every acknowledged write present, nothing broken
    assert verdict.errors == 0
    assert [c.name for c in verdict.checks if not c.passed] == []
    assert verdict.server_notes == []
    assert sum(c.checked for c in verdict.checks[:6]) > 0, "some writes were acknowledged"


async def test_fault_run_with_one_kill_leaves_nothing_half_written(
    postgres_url: str, tmp_path: Path
) -> None:
    # when: 4 writers, the server SIGKILLed about a second into the round
    verdict = await fault_run(
        postgres_url,
        tmp_path / "fault",
        rounds=1,
        writers=4,
        customers=60,
        kill_after=(0.8, 1.2),
    )

    # then
    [round_] = verdict.rounds
    assert round_.errors == []
    assert round_.in_flight > 0, "the kill happened while requests were in flight"
    assert [c.name for c in verdict.checks if not c.passed] == []
