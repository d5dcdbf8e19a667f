"""The pickers: products by name, SKU and category; active users by name and email."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update

from models import Product, User
from models.enums import Role
from tests.contract_checks.operations import operation
from tests.support import GraphQLClient, error_codes

PRODUCTS = operation("Products")
USERS = operation("Users")


async def add_product(
    api, *, sku: str, name: str, category: str = "Lathes", active: bool = True
) -> int:
    async with api.db.write_session() as session:
        product = Product(
            sku=sku, name=name, category=category, list_price=Decimal("1250.00"), active=active
        )
        session.add(product)
        await session.commit()
        return product.id


async def products(client: GraphQLClient, **variables: Any) -> dict[str, Any]:
    return (await client.data(PRODUCTS, variables))["products"]


def skus(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["sku"] for edge in connection["edges"]]


async def _catalogue(api) -> None:
    await add_product(api, sku="LT-200", name="CNC Lathe 200", category="Lathes")
    await add_product(api, sku="LT-300", name="Heavy Lathe 300", category="Lathes")
    await add_product(api, sku="ML-10", name="Vertical Mill", category="Mills")
    await add_product(api, sku="SP-1", name="Spindle Belt (100% rubber)", category="Spares")
    await add_product(api, sku="LT-OLD", name="Old Lathe", category="Lathes", active=False)


# Products


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("lathe", ["LT-200", "LT-300"]),
        ("CNC", ["LT-200"]),
        ("lathe heavy", ["LT-300"]),
        ("lt-3", ["LT-300"]),
        ("ml-10", ["ML-10"]),
        ("100%", ["SP-1"]),
        ("drill", []),
    ],
    ids=["name", "case", "multi-word", "sku-prefix", "sku", "percent-sign", "no-match"],
)
async def test_products_are_searched_by_name_and_sku(api, search, expected):
    client, _ = await api.client_for(Role.SALES)
    await _catalogue(api)
    found = await products(client, search=search)
    assert skus(found) == expected
    assert found["totalCount"] == len(expected)


@pytest.mark.parametrize("wildcard", ["%", "_", "l_the", "\\"])
async def test_like_wildcards_in_a_product_search_match_only_themselves(api, wildcard):
    client, _ = await api.client_for(Role.SALES)
    await _catalogue(api)
    found = await products(client, search=wildcard)
    assert all(wildcard in (e["node"]["name"] + e["node"]["sku"]).lower() for e in found["edges"])
    assert found["totalCount"] == len(found["edges"])


async def test_products_are_filtered_by_category(api):
    client, _ = await api.client_for(Role.SALES)
    await _catalogue(api)
    found = await products(client, category="Lathes")
    assert skus(found) == ["LT-200", "LT-300"]


async def test_category_and_search_combine(api):
    client, _ = await api.client_for(Role.SALES)
    await _catalogue(api)
    assert skus(await products(client, category="Lathes", search="heavy")) == ["LT-300"]


async def test_products_are_listed_by_name_with_their_details(api):
    client, _ = await api.client_for(Role.SALES)
    await _catalogue(api)
    found = await products(client)
    assert [e["node"]["name"] for e in found["edges"]] == [
        "CNC Lathe 200",
        "Heavy Lathe 300",
        "Spindle Belt (100% rubber)",
        "Vertical Mill",
    ]
    assert found["edges"][0]["node"] | {"id": None} == {
        "id": None,
        "sku": "LT-200",
        "name": "CNC Lathe 200",
        "category": "Lathes",
        "listPrice": "1250.00",
        "active": True,
    }


async def test_inactive_products_are_hidden(api):
    client, _ = await api.client_for(Role.SALES)
    await _catalogue(api)
    found = await products(client, search="old")
    assert found == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }


async def test_inactive_products_are_listed_when_asked_for(api):
    client, _ = await api.client_for(Role.SALES)
    await _catalogue(api)
    body = await client.data(
        """{ products(search: "lathe", includeInactive: true) {
               totalCount edges { node { sku active } } } }"""
    )
    found = body["products"]
    assert found["totalCount"] == 3
    assert {(e["node"]["sku"], e["node"]["active"]) for e in found["edges"]} == {
        ("LT-200", True),
        ("LT-300", True),
        ("LT-OLD", False),
    }


async def test_product_pages_cover_every_product_once(api):
    client, _ = await api.client_for(Role.SALES)
    for i in range(7):
        await add_product(api, sku=f"TIE-{i}", name="Same Name" if i % 2 else f"Part {i}")
    seen: list[str] = []
    after = None
    while True:
        page = await products(client, first=3, after=after)
        assert page["totalCount"] == 7
        seen += skus(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == [f"TIE-{i}" for i in range(7)]
    assert seen == skus(await products(client, first=100))


async def test_product_page_size_above_the_maximum_is_bad_user_input(api):
    client, _ = await api.client_for(Role.SALES)
    assert error_codes(await client.post(PRODUCTS, {"first": 101})) == ["BAD_USER_INPUT"]


async def test_products_need_a_signed_in_user(api):
    assert error_codes(await api.client.post(PRODUCTS)) == ["UNAUTHENTICATED"]


# Users


async def users(client: GraphQLClient, **variables: Any) -> list[dict[str, Any]]:
    data = await client.data(USERS, variables)
    return [edge["node"] for edge in data["users"]["edges"]]


def user_names(nodes: list[dict[str, Any]]) -> list[str]:
    return [node["name"] for node in nodes]


async def _team(api) -> GraphQLClient:
    client, _ = await api.client_for(Role.VIEWER)  # named "Viewer User 0"
    await api.make_user(Role.SALES, email="asha.rao@sanvi.test", name="Asha Rao")
    await api.make_user(Role.MANAGER, email="vikram@sanvi.test", name="Vikram Iyer")
    await api.make_user(Role.SALES, email="meera.k@sanvi.test", name="Meera Krishnan")
    return client


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("asha", ["Asha Rao"]),
        ("IYER", ["Vikram Iyer"]),
        ("rao asha", ["Asha Rao"]),
        ("meera.k@", ["Meera Krishnan"]),
        ("VIKRAM@SANVI", ["Vikram Iyer"]),
        ("nobody", []),
    ],
    ids=["name", "case", "multi-word", "email", "email-case", "no-match"],
)
async def test_users_are_searched_by_name_and_email(api, search, expected):
    client = await _team(api)
    assert user_names(await users(client, search=search)) == expected


async def test_users_are_listed_by_name_with_their_role(api):
    client = await _team(api)
    listed = await users(client)
    assert user_names(listed) == ["Asha Rao", "Meera Krishnan", "Viewer User 0", "Vikram Iyer"]
    assert {node["name"]: node["role"] for node in listed}["Vikram Iyer"] == "MANAGER"


async def test_deactivated_users_are_not_listed(api):
    client = await _team(api)
    async with api.db.write_session() as session:
        await session.execute(
            update(User).where(User.email == "asha.rao@sanvi.test").values(active=False)
        )
        await session.commit()
    assert "Asha Rao" not in user_names(await users(client))
    assert await users(client, search="asha") == []


async def test_like_wildcards_in_a_user_search_match_only_themselves(api):
    client = await _team(api)
    assert await users(client, search="_") == []


async def test_users_are_limited_to_the_page_size(api):
    client = await _team(api)
    assert user_names(await users(client, first=2)) == ["Asha Rao", "Meera Krishnan"]


async def test_users_need_a_signed_in_user(api):
    assert error_codes(await api.client.post(USERS)) == ["UNAUTHENTICATED"]
