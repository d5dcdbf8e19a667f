"""GraphQL over HTTP on the real app: media types, status codes and request shapes.

``application/graphql-response+json`` answers request errors with 400 and no ``data``;
``application/json`` (legacy clients, ``*/*``, no Accept) keeps 200 with ``data: null``.
"""

from __future__ import annotations

import json

import pytest

from app.http_conformance import GRAPHQL_RESPONSE, JSON, negotiate_media_type
from models.enums import Role
from tests.support import error_codes

GRAPHQL_RESPONSE_JSON = {"Accept": GRAPHQL_RESPONSE}
LEGACY_JSON = {"Accept": JSON}
CREATE_CUSTOMER = """mutation { createCustomer(input: {name: "Over GET", businessType: INDIVIDUAL})
    { customer { id } errors { code } } }"""


async def post(api, body, headers=None):
    return await api.client.http.post("/graphql", json=body, headers=headers or {})


async def post_raw(api, content: bytes, content_type: str | None, accept: str = JSON):
    headers = {"Accept": accept}
    if content_type is not None:
        headers["Content-Type"] = content_type
    return await api.client.http.post("/graphql", content=content, headers=headers)


# Accept negotiation


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        ("application/json", JSON),
        ("application/graphql-response+json", GRAPHQL_RESPONSE),
        ("application/graphql-response+json, application/json", GRAPHQL_RESPONSE),
        ("application/json, application/graphql-response+json", GRAPHQL_RESPONSE),
        ("application/graphql-response+json;q=0.5, application/json", JSON),
        ("application/graphql-response+json, */*;q=0.8", GRAPHQL_RESPONSE),
        ("text/html, */*;q=0.8", JSON),
        ("application/json, multipart/mixed", JSON),
        ("APPLICATION/GRAPHQL-RESPONSE+JSON", GRAPHQL_RESPONSE),
        ("application/json;q=0, */*", GRAPHQL_RESPONSE),
        ("text/html", None),
        ("application/xml, text/plain", None),
        ("application/json;q=0", None),
    ],
)
def test_accept_negotiation_picks_the_response_media_type(accept, expected):
    assert negotiate_media_type(accept) == expected


# Media types


async def test_a_client_accepting_graphql_response_json_gets_that_media_type(api):
    response = await post(api, {"query": "{ __typename }"}, GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    assert response.json()["data"] == {"__typename": "Query"}


async def test_a_client_sending_no_accept_header_gets_application_json(api):
    response = await post_raw(api, b'{"query": "{ __typename }"}', "application/json", accept="")
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON


async def test_a_client_accepting_anything_gets_application_json(api):
    response = await post(api, {"query": "{ __typename }"}, {"Accept": "*/*"})
    assert response.headers["content-type"] == JSON


async def test_a_client_accepting_neither_media_type_gets_406(api):
    response = await post(api, {"query": "{ __typename }"}, {"Accept": "text/html"})
    assert response.status_code == 406
    assert error_codes(response.json()) == ["NOT_ACCEPTABLE"]


# Request errors: 400 with graphql-response+json, 200 with legacy application/json


async def test_an_unparseable_document_gets_400_without_data(api):
    response = await post(api, {"query": "{"}, GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    body = response.json()
    assert "data" not in body
    assert "Syntax Error" in body["errors"][0]["message"]


async def test_an_invalid_document_gets_400_without_data(api):
    response = await post(api, {"query": "{ noSuchField }"}, GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400
    assert "data" not in response.json()


async def test_variables_that_fail_coercion_get_400(api):
    query = "query($id: ID!) { __typename }"
    response = await post(api, {"query": query, "variables": {"id": None}}, GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400
    assert "data" not in response.json()


async def test_an_invalid_document_is_a_200_with_null_data_for_legacy_clients(api):
    response = await post(api, {"query": "{ noSuchField }"}, LEGACY_JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert body["errors"]


async def test_an_unknown_operation_name_gets_400_without_data(api):
    body = {"query": "query A { __typename }", "operationName": "B"}
    response = await post(api, body, GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400
    assert "data" not in response.json()


async def test_an_unknown_operation_name_is_a_200_with_errors_for_legacy_clients(api):
    body = {"query": "query A { __typename }", "operationName": "B"}
    response = await post(api, body, LEGACY_JSON)
    assert response.status_code == 200
    assert response.json()["errors"]


# Field errors are not request errors


async def test_an_anonymous_field_error_is_a_200_with_the_data_entry(api):
    response = await post(api, {"query": "{ me { email } }"}, GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 200
    body = response.json()
    assert "data" in body
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_a_signed_in_query_returns_its_data_as_graphql_response_json(api):
    client, actor = await api.client_for(Role.SALES)
    response = await post(
        api,
        {"query": "{ me { email } }"},
        {**GRAPHQL_RESPONSE_JSON, "Authorization": f"Bearer {client.token}"},
    )
    assert response.status_code == 200
    assert response.json()["data"] == {"me": {"email": actor.email}}


async def test_an_anonymous_typename_query_needs_no_sign_in(api):
    body = await api.client.post("{ __typename }")
    assert body["data"] == {"__typename": "Query"}
    assert "errors" not in body


# GET


async def test_a_query_over_get_is_executed(api):
    response = await api.client.http.get(
        "/graphql",
        params={
            "query": "query($n: String!) { __type(name: $n) { name } }",
            "variables": '{"n": "Query"}',
        },
        headers=GRAPHQL_RESPONSE_JSON,
    )
    assert response.status_code == 200
    assert response.json()["data"] == {"__type": {"name": "Query"}}


async def test_a_mutation_over_get_gets_405_allowing_only_post(api):
    client, _ = await api.client_for(Role.SALES)
    response = await api.client.http.get(
        "/graphql",
        params={"query": CREATE_CUSTOMER},
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert error_codes(response.json()) == ["METHOD_NOT_ALLOWED"]


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_subscription_over_http_gets_400_pointing_to_the_websocket(api, method):
    client, _ = await api.client_for(Role.SALES)
    query = 'subscription { jobProgress(id: "1") { status } }'
    response = await api.client.http.request(
        method,
        "/graphql",
        params={"query": query} if method == "GET" else None,
        json={"query": query} if method == "POST" else None,
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert response.status_code == 400
    assert "WebSocket" in response.json()["errors"][0]["message"]


async def test_other_methods_than_get_and_post_get_405(api):
    response = await api.client.http.put("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 405
    assert "POST" in response.headers["allow"]


# Bodies that are not well-formed GraphQL-over-HTTP requests


async def test_a_post_without_a_content_type_gets_415(api):
    response = await post_raw(api, b'{"query": "{ __typename }"}', None)
    assert response.status_code == 415
    assert error_codes(response.json()) == ["UNSUPPORTED_MEDIA_TYPE"]


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/graphql", "application/jsonx"],
)
async def test_a_post_of_another_content_type_gets_415(api, content_type):
    response = await post_raw(api, b'{"query": "{ __typename }"}', content_type)
    assert response.status_code == 415


async def test_a_json_post_in_another_charset_than_utf8_gets_415(api):
    response = await post_raw(
        api, b'{"query": "{ __typename }"}', "application/json; charset=latin-1"
    )
    assert response.status_code == 415


async def test_a_json_post_naming_utf8_is_accepted(api):
    response = await post_raw(
        api, b'{"query": "{ __typename }"}', "application/json; charset=UTF-8"
    )
    assert response.status_code == 200


async def test_malformed_json_gets_400_as_a_graphql_error_in_the_negotiated_media_type(api):
    response = await post_raw(api, b'{"query": ', "application/json", accept=GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert error_codes(response.json()) == ["BAD_REQUEST"]


@pytest.mark.parametrize("body", ["null", '"{ __typename }"', "42", "true"])
async def test_a_json_body_that_is_not_an_object_gets_400(api, body):
    response = await post_raw(api, body.encode(), "application/json")
    assert response.status_code == 400


async def test_a_body_that_is_not_utf8_gets_400(api):
    response = await post_raw(api, b'{"query": "{ \xff }"}', "application/json")
    assert response.status_code == 400


async def test_deeply_nested_json_gets_400(api):
    response = await post_raw(api, b"[" * 100_000 + b"]" * 100_000, "application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("operation_name", [{"obj": "ect"}, 0, False, ["array"]])
async def test_an_operation_name_that_is_not_a_string_gets_400(api, operation_name):
    response = await post(api, {"query": "{ __typename }", "operationName": operation_name})
    assert response.status_code == 400


async def test_a_batch_of_operations_gets_400(api):
    response = await post(api, [{"query": "{ __typename }"}, {"query": "{ __typename }"}])
    assert response.status_code == 400


async def test_a_missing_query_gets_400(api):
    response = await post(api, {"notquery": "{ __typename }"}, GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400
    assert json.loads(response.text)["errors"][0]["message"]
