"""The one direction of flow (DESIGN.md §3): app → schema → resolvers → models.

A module may import from its own layer and the layers below it, never above.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["models", "resolvers", "schema", "app"]
FORBIDDEN_EXTERNAL = {"models": {"strawberry"}, "resolvers": {"strawberry", "starlette"}}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_imports_only_itself_and_layers_below(layer):
    above = set(LAYERS[LAYERS.index(layer) + 1 :]) | FORBIDDEN_EXTERNAL.get(layer, set())
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & above)
        for path in (ROOT / layer).rglob("*.py")
        if _imports(path) & above
    }
    assert offenders == {}
