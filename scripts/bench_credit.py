"""Credit benchmarks: the alert list's first page, and what credit adds to createOrder.

Registered in ``scripts/benchmark.py``. The createOrder runs place real orders in the
benchmark data set (a few dozen per run, against the cheapest product).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.contract_checks.operations import operation

if TYPE_CHECKING:
    from scripts.benchmark import Bench, Figure

_PICK = """query($levels: [CreditLevel!]) {
  customers(first: 50, filter: {creditLevels: $levels, statuses: [ACTIVE]}) {
    edges { node { id credit { limit outstanding } } } } }"""


async def bench_credit_alerts(bench: Bench) -> list[Figure]:
    query = operation("CreditAlerts")
    figures = []
    for level, first in (("WARNING", 20), ("WARNING", 100), ("EXCEEDED", 20)):
        variables = {"minLevel": level, "first": first}
        figures.append(
            await bench.measure(
                f"creditLimitAlerts minLevel={level} first={first}",
                lambda variables=variables: bench.graphql(query, variables),
            )
        )
    return figures


async def _cheapest_product(bench: Bench) -> dict[str, Any]:
    body = await bench.graphql(operation("Products"), {"category": "Spare Parts", "first": 100})
    nodes = [e["node"] for e in body["data"]["products"]["edges"]]
    return min(nodes, key=lambda p: float(p["listPrice"]))


async def _customer(bench: Bench, level: str, amount: float, runs: int) -> str:
    """A customer of this level with room for every order the benchmark will place."""
    body = await bench.graphql(_PICK, {"levels": [level]})
    for edge in body["data"]["customers"]["edges"]:
        credit = edge["node"]["credit"]
        limit = credit["limit"]
        if limit is None or float(limit) - float(credit["outstanding"]) > amount * (runs + 2) * 3:
            return edge["node"]["id"]
    raise RuntimeError(f"no {level} customer with room for the benchmark's orders")


async def bench_create_order(bench: Bench) -> list[Figure]:
    product = await _cheapest_product(bench)
    price = float(product["listPrice"])
    mutation = operation("CreateOrder")
    figures = []
    for level, label in (("NO_LIMIT", "no limit"), ("OK", "limit, well within it")):
        customer_id = await _customer(bench, level, price, bench.runs)
        variables = {
            "input": {
                "customerId": customer_id,
                "lines": [{"productId": product["id"], "quantity": 1}],
            }
        }
        figures.append(
            await bench.measure(
                f"createOrder, customer with {label}",
                lambda variables=variables: bench.graphql(mutation, variables),
                note="credit: row lock, check, +1 UPDATE; also re-categorises and rescores",
            )
        )
    return figures
