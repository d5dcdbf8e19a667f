"""Every frontend operation fits the default abuse limits with room to spare, even with
every page at its largest: a default tightened too far fails here, not in production."""

from __future__ import annotations

import pytest
from graphql import parse
from graphql.language import Lexer, Source, TokenKind

from app.request_limits import api_limits
from app.settings import Settings
from schema.query_cost import measure_document
from schema.root import schema
from tests.contract_checks.operations import operation, operation_names

DEFAULTS = api_limits(Settings(_env_file=None))


def _tokens(document: str) -> int:
    lexer, count = Lexer(Source(document)), 0
    while lexer.advance().kind != TokenKind.EOF:
        count += 1
    return count


@pytest.mark.parametrize("name", operation_names())
def test_contract_operation_fits_the_default_limits_with_the_largest_pages(name):
    document = operation(name)
    # no variables: every page without a literal size counts as the largest page
    size = measure_document(
        schema._schema,
        parse(document),
        page_size_max=DEFAULTS.page_size_max,
        list_factor=DEFAULTS.list_cost_factor,
    )
    assert size.cost * 2 <= DEFAULTS.max_cost
    assert size.depth <= DEFAULTS.max_depth
    assert size.aliases <= DEFAULTS.max_aliases
    assert size.mutations <= DEFAULTS.max_mutations
    assert _tokens(document) * 2 <= DEFAULTS.max_tokens
