"""Schema fuzzing: schemathesis generates requests for every query and mutation field from
the live server's own (introspected) schema and sends them, signed in as an admin, to a
real Uvicorn process with a few customers and products to hit.

Each field gets ``EXAMPLES`` generated requests from a fixed seed, so a run is repeatable.
Every answer must be a GraphQL response (JSON with ``data`` and/or ``errors``), never a
5xx, never a masked unexpected error (``INTERNAL_SERVER_ERROR``), and never one that
breaks the schema (schemathesis' ``response_schema_conformance``: a null for a non-null
field, malformed JSON). Expected refusals (``BAD_USER_INPUT``, payload errors, validation
errors of a generated query) are fine. Failures are reported with the smallest query
Hypothesis found and its request id, to look up in the server's log.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import pytest_asyncio
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis.graphql import nodes
from schemathesis.specs.openapi.checks import response_schema_conformance

from app.auth import TokenService
from app.db import create_database
from models import Customer, Product, User
from models.enums import BusinessType, CustomerStatus, Role
from resolvers.passwords import hash_password_sync
from schema.root import schema as crm_schema
from tests.platform.live import SECRET, LiveServer, live_server
from tests.support import settings_for, wipe

pytestmark = pytest.mark.slow

EXAMPLES = 4  # generated requests per field
SEED = 20261124
SEEDED = 3  # customers and products each, ids 1..SEEDED
ID_MAX = SEEDED + 2

# Scalars the generator does not know: ours (schema/scalars.py) and ids that may exist.
schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(
        st.decimals(
            min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False
        ).map(str),
        st.sampled_from(["0", "1e400", "NaN", "-0.001", "12.345", "abc", ""]),
    ).map(nodes.String),
)
schemathesis.graphql.scalar("Upload", st.just(nodes.String("not a file")))
schemathesis.graphql.scalar(
    "ID",
    st.one_of(st.integers(1, ID_MAX).map(str), st.text(max_size=12)).map(nodes.String),
)


@pytest_asyncio.fixture
async def admin_token(database_url: str, tmp_path: Path) -> str:
    """An admin's token, and a few customers and products for generated ids to hit."""
    db = create_database(settings_for(database_url, tmp_path))
    try:
        await wipe(db.engine)
        async with db.write_session() as session:
            admin = User(
                email="fuzz-admin@sanvi.test",
                name="Fuzz Admin",
                role=Role.ADMIN,
                password_hash=hash_password_sync("irrelevant-password"),
                active=True,
            )
            session.add(admin)
            await session.flush()
            for n in range(1, SEEDED + 1):
                session.add(
                    Customer(
                        code=f"FUZZ-{n}",
                        name=f"Fuzz Customer {n}",
                        business_type=BusinessType.ENTERPRISE,
                        status=CustomerStatus.ACTIVE,
                        owner_id=admin.id,
                        search_text=f"fuzz customer {n}",
                    )
                )
                session.add(
                    Product(
                        sku=f"FZ-{n}",
                        name=f"Fuzz Product {n}",
                        category="Lathes",
                        list_price=Decimal("1000.00") * n,
                        active=True,
                    )
                )
            await session.commit()
        return TokenService(SECRET, 3600).issue(admin.id)[0]
    finally:
        await db.dispose()


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    with live_server(
        database_url,
        tmp_path,
        job_workers="0",
        scheduler_enabled="false",
        rate_limit_user_per_minute="0",  # 0: unlimited
        rate_limit_address_per_minute="0",
        export_wait_seconds="0",  # no worker would finish an export meanwhile
        login_max_delay_seconds="0",
    ) as s:
        yield s


ROOT_FIELDS = {
    f"{root.name}.{name}"
    for root in (crm_schema._schema.query_type, crm_schema._schema.mutation_type)
    if root is not None
    for name in root.fields
}


def graphql_problems(response: requests.Response) -> list[str]:
    """What is wrong with an answer, beyond what schemathesis' own check sees."""
    if response.status_code >= 500:
        return [f"HTTP {response.status_code}"]
    try:
        body = response.json()
    except ValueError:
        return [f"not JSON (HTTP {response.status_code}): {response.text[:200]!r}"]
    if not isinstance(body, dict) or not ({"data", "errors"} & set(body)):
        return [f"not a GraphQL response: {response.text[:200]!r}"]
    return [
        f"masked unexpected error, requestId {(error.get('extensions') or {}).get('requestId')}"
        for error in body.get("errors") or []
        if (error.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR"
    ]


def fuzz(operation: Any, base_url: str, headers: dict[str, str]) -> str | None:
    """None, or the smallest failing query Hypothesis found for this field and why."""
    session = requests.Session()
    smallest: list[str] = []

    @hypothesis.seed(SEED)
    @hypothesis.settings(
        max_examples=EXAMPLES,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @hypothesis.given(case=operation.as_strategy())
    def run(case: Any) -> None:
        response = case.call(base_url=base_url, session=session, headers=headers, timeout=30)
        problems = graphql_problems(response)
        if not problems:
            try:
                case.validate_response(response, checks=[response_schema_conformance])
            except AssertionError as exc:
                problems = [str(exc).strip().splitlines()[0]]
        if problems:
            smallest[:] = [f"{'; '.join(problems)}\n    {case.body}"]
            raise AssertionError(problems)

    try:
        run()
    except AssertionError:
        return smallest[0] if smallest else "failed"
    finally:
        session.close()
    return None


def test_generated_queries_and_mutations_get_well_formed_answers(server, admin_token):
    # given: the schema as the server describes it
    headers = {"Authorization": f"Bearer {admin_token}"}
    url = f"{server.base_url}/graphql"
    schema = schemathesis.graphql.from_url(url, headers=headers, timeout=30)
    operations = [result.ok() for result in schema.get_all_operations()]
    # when
    failures = {
        op.label: failure
        for op in operations
        if (failure := fuzz(op, server.base_url, headers)) is not None
    }
    # then
    assert {op.label for op in operations} == ROOT_FIELDS
    assert failures == {}, "\n" + "\n".join(f"{k}: {v}" for k, v in failures.items())
