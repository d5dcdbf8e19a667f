"""The frontend's operations (the API contract), one runnable document per operation."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    OperationDefinitionNode,
    parse,
    print_ast,
    visit,
)
from graphql.language import Visitor

# The copy of the frontend's contract, kept byte-identical to ../shared/contract/.
CONTRACT = Path(__file__).resolve().parents[1] / "contract" / "operations.graphql"
SHARED_CONTRACT = Path(__file__).resolve().parents[2].parent / "shared" / "contract"


@cache
def _document() -> DocumentNode:
    return parse(CONTRACT.read_text())


def operation_names() -> list[str]:
    return [
        d.name.value
        for d in _document().definitions
        if isinstance(d, OperationDefinitionNode) and d.name
    ]


def _spreads(node: object) -> set[str]:
    names: set[str] = set()

    class Collect(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *_: object) -> None:
            names.add(spread.name.value)

    visit(node, Collect())  # type: ignore[arg-type]
    return names


@cache
def operation(name: str) -> str:
    """The operation with every fragment it uses, ready to send."""
    definitions = _document().definitions
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    [op] = [
        d for d in definitions if isinstance(d, OperationDefinitionNode) and d.name.value == name
    ]
    needed: set[str] = set()
    pending = _spreads(op)
    while pending:
        fragment = pending.pop()
        if fragment not in needed:
            needed.add(fragment)
            pending |= _spreads(fragments[fragment])
    parts = [print_ast(op)] + [print_ast(fragments[f]) for f in sorted(needed)]
    return "\n\n".join(parts)
