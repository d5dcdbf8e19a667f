"""Document limits (schema/limits.py): depth, aliases, tokens, cost, mutations per document,
and the explorer switch. Each refusal is a top-level error with a code and ``data: null``."""

from __future__ import annotations

from graphql import get_introspection_query

from app.settings import Settings
from models.enums import Role
from tests.api.limits_support import client_with, count_statements
from tests.support import TEST_PASSWORD, error_codes

PAGE_OF_NAMES = "{ customers(first: %d) { edges { node { id name } } } }"


async def test_a_query_nested_deeper_than_the_limit_is_refused(api, database_url, tmp_path):
    _, viewer = await api.client_for(Role.VIEWER)
    async with client_with(database_url, tmp_path, query_max_depth=3) as client:
        body = await client.post(PAGE_OF_NAMES % 1, token=api.token_for(viewer.id))
    assert body["data"] is None
    assert error_codes(body) == ["QUERY_TOO_DEEP"]
    assert "4 fields deep; the limit is 3" in body["errors"][0]["message"]


async def test_a_query_at_the_depth_limit_runs(api, database_url, tmp_path):
    _, viewer = await api.client_for(Role.VIEWER)
    async with client_with(database_url, tmp_path, query_max_depth=4) as client:
        body = await client.post(PAGE_OF_NAMES % 1, token=api.token_for(viewer.id))
    assert body["data"] == {"customers": {"edges": []}}


async def test_more_aliases_than_the_limit_are_refused(api, database_url, tmp_path):
    _, viewer = await api.client_for(Role.VIEWER)
    query = "{ a: me { id } b: me { id } c: me { id } }"
    async with client_with(database_url, tmp_path, query_max_aliases=2) as client:
        body = await client.post(query, token=api.token_for(viewer.id))
    assert body["data"] is None
    assert error_codes(body) == ["TOO_MANY_ALIASES"]


async def test_aliases_in_a_fragment_count_each_time_it_is_spread(api, database_url, tmp_path):
    query = "{ ...F ...F } fragment F on Query { a: me { id } }"
    async with client_with(database_url, tmp_path, query_max_aliases=1) as client:
        body = await client.post(query)
    assert error_codes(body) == ["TOO_MANY_ALIASES"]


async def test_a_document_with_more_tokens_than_the_limit_is_refused_unparsed(
    api, database_url, tmp_path
):
    async with client_with(database_url, tmp_path, query_max_tokens=10) as client:
        body = await client.post(PAGE_OF_NAMES % 1)
    assert body["data"] is None
    assert error_codes(body) == ["TOO_MANY_TOKENS"]
    assert "more than 10 tokens" in body["errors"][0]["message"]


async def test_comments_count_against_the_token_limit(api, database_url, tmp_path):
    padding = "# padding\n" * 20
    async with client_with(database_url, tmp_path, query_max_tokens=10) as client:
        body = await client.post(padding + "{ me { id } }")
    assert error_codes(body) == ["TOO_MANY_TOKENS"]


async def test_a_syntax_error_under_the_token_limit_is_still_a_syntax_error(api):
    body = await api.client.post("{ me { id }")
    assert body["data"] is None
    assert "Syntax Error" in body["errors"][0]["message"]


async def test_the_cost_is_first_times_the_cost_of_each_node(api):
    client, _ = await api.client_for(Role.VIEWER)
    body = await client.post(PAGE_OF_NAMES % 10)
    # customers 1 + 10 × (edges 1 + node 1 + id 1 + name 1)
    assert body["extensions"]["cost"] == {"requested": 41, "limit": 50_000}


async def test_a_connection_without_first_costs_its_largest_page(api):
    client, _ = await api.client_for(Role.VIEWER)
    body = await client.post("{ customers { edges { node { id name } } } }")
    assert body["extensions"]["cost"]["requested"] == 1 + 100 * 4


async def test_a_page_size_in_a_variable_is_used_for_the_cost(api):
    client, _ = await api.client_for(Role.VIEWER)
    query = "query($n: Int) { customers(first: $n) { edges { node { id name } } } }"
    body = await client.post(query, {"n": 5})
    assert body["extensions"]["cost"]["requested"] == 1 + 5 * 4


async def test_a_list_without_paging_arguments_costs_the_list_factor(api):
    client, _ = await api.client_for(Role.VIEWER)
    body = await client.post("{ segments { id name } }")
    assert body["extensions"]["cost"]["requested"] == 1 + 10 * 2


async def test_a_query_costing_more_than_the_limit_is_refused_with_its_cost(
    api, database_url, tmp_path
):
    _, viewer = await api.client_for(Role.VIEWER)
    async with client_with(database_url, tmp_path, query_max_cost=50) as client:
        body = await client.post(PAGE_OF_NAMES % 20, token=api.token_for(viewer.id))
    assert body["data"] is None
    assert error_codes(body) == ["QUERY_TOO_COSTLY"]
    assert body["errors"][0]["extensions"]["cost"] == 81
    assert body["extensions"]["cost"] == {"requested": 81, "limit": 50}


async def test_a_fragment_bomb_is_measured_without_walking_every_spread(api):
    fragments = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40))
    query = "{ ...F0 } " + fragments + " fragment F40 on Query { me { id } }"
    body = await api.client.post(query)
    assert error_codes(body) == ["QUERY_TOO_COSTLY"]


async def test_more_mutations_in_one_document_than_the_limit_are_refused(
    api, database_url, tmp_path
):
    user = await api.make_user(Role.VIEWER)
    login = f'login(email: "{user.email}", password: "{TEST_PASSWORD}") {{ token }}'
    query = f"mutation {{ a: {login} b: {login} }}"
    async with client_with(database_url, tmp_path, query_max_mutations=1) as client:
        body = await client.post(query)
    assert body["data"] is None
    assert error_codes(body) == ["TOO_MANY_MUTATIONS"]


async def test_mutations_up_to_the_limit_run(api, database_url, tmp_path):
    user = await api.make_user(Role.VIEWER)
    login = f'login(email: "{user.email}", password: "{TEST_PASSWORD}") {{ token }}'
    async with client_with(database_url, tmp_path, query_max_mutations=2) as client:
        body = await client.post(f"mutation {{ a: {login} b: {login} }}")
    assert body["data"]["a"]["token"] and body["data"]["b"]["token"]


async def test_the_standard_introspection_query_passes_the_default_limits(api):
    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
        one_of=True,
    )
    body = await api.client.post(query)
    assert not body.get("errors")
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_field_suggestions_are_given_while_the_explorer_is_on(api):
    body = await api.client.post("{ custmers { totalCount } }")
    assert "Did you mean" in body["errors"][0]["message"]


async def test_introspection_is_refused_when_the_explorer_is_off(api, database_url, tmp_path):
    async with client_with(database_url, tmp_path, graphql_explorer_enabled=False) as client:
        body = await client.post("{ __schema { queryType { name } } }")
    assert body["data"] is None
    assert error_codes(body) == ["INTROSPECTION_DISABLED"]


async def test_typename_is_still_answered_when_the_explorer_is_off(api, database_url, tmp_path):
    async with client_with(database_url, tmp_path, graphql_explorer_enabled=False) as client:
        body = await client.post("{ __typename }")
    assert body == {"data": {"__typename": "Query"}, "extensions": body["extensions"]}


async def test_field_suggestions_are_left_out_when_the_explorer_is_off(api, database_url, tmp_path):
    async with client_with(database_url, tmp_path, graphql_explorer_enabled=False) as client:
        body = await client.post("{ custmers { totalCount } }")
    [error] = body["errors"]
    assert error["message"] == "Cannot query field 'custmers' on type 'Query'."


async def test_enum_value_suggestions_in_variables_are_left_out_when_the_explorer_is_off(
    api, database_url, tmp_path
):
    query = "query($k: SegmentKind) { segments(kind: $k) { id } }"
    async with client_with(database_url, tmp_path, graphql_explorer_enabled=False) as client:
        body = await client.post(query, {"k": "VOLUM"})
    assert body["errors"]
    assert all("Did you mean" not in e["message"] for e in body["errors"])


async def test_graphiql_is_served_while_the_explorer_is_on(api):
    response = await api.client.http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_graphiql_is_not_served_when_the_explorer_is_off(api, database_url, tmp_path):
    async with client_with(database_url, tmp_path, graphql_explorer_enabled=False) as client:
        response = await client.http.get("/graphql", headers={"Accept": "text/html"})
    assert "graphiql" not in response.text.lower()


def test_the_explorer_is_off_by_default_in_production():
    settings = Settings(_env_file=None, environment="production", secret_key="s" * 40)
    assert settings.explorer_enabled is False


def test_the_explorer_is_on_by_default_in_development():
    assert Settings(_env_file=None, environment="development").explorer_enabled is True


def test_production_may_switch_the_explorer_on_explicitly():
    settings = Settings(
        _env_file=None,
        environment="production",
        secret_key="s" * 40,
        graphql_explorer_enabled=True,
    )
    assert settings.explorer_enabled is True


async def test_a_refused_document_is_not_sent_to_the_database(api, database_url, tmp_path):
    _, viewer = await api.client_for(Role.VIEWER)
    async with client_with(database_url, tmp_path, query_max_depth=2) as client:
        with count_statements(client) as counter:
            body = await client.post(PAGE_OF_NAMES % 1, token=api.token_for(viewer.id))
    assert error_codes(body) == ["QUERY_TOO_DEEP"]
    # only the sign-in's user lookup: nothing of the query itself
    assert counter.count == 1
    assert "customers" not in counter.statements[0]
