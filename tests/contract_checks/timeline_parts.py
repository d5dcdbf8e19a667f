"""The timeline parts of CustomerPage and CustomerDashboard, cut verbatim from the contract,
for tests and benchmarks that select exactly what the timeline issue owns."""

from __future__ import annotations

from typing import Any

from graphql import FieldNode, parse, print_ast

from tests.contract_checks.operations import operation


def _field(selections: Any, name: str) -> FieldNode:
    [field] = [s for s in selections if isinstance(s, FieldNode) and s.name.value == name]
    return field


def customer_page_timeline() -> str:
    """CustomerPage with only its timeline selected."""
    page = parse(operation("CustomerPage")).definitions[0]
    customer = _field(page.selection_set.selections, "customer")
    timeline = print_ast(_field(customer.selection_set.selections, "timeline"))
    variables = "$id: ID!, $timelineFirst: Int, $timelineAfter: String, $kinds: [TimelineKind!]"
    return f"query CustomerPageTimeline({variables}) {{ customer(id: $id) {{ {timeline} }} }}"


def customer_dashboard_timeline() -> str:
    """CustomerDashboard with only its timeline selected (and the customer ids)."""
    dashboard = parse(operation("CustomerDashboard")).definitions[0]
    customers = _field(dashboard.selection_set.selections, "customers")
    edges = _field(customers.selection_set.selections, "edges")
    node = _field(edges.selection_set.selections, "node")
    timeline = print_ast(_field(node.selection_set.selections, "timeline"))
    return (
        "query CustomerDashboardTimeline($first: Int, $after: String) {"
        " customers(first: $first, after: $after) {"
        f" pageInfo {{ hasNextPage endCursor }} edges {{ node {{ id {timeline} }} }} }} }}"
    )
