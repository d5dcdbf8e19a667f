"""How big a document is: depth, aliases, mutation fields and cost, measured against the
schema so that every new field is covered without being listed anywhere.

Cost: every field costs 1. A field with a ``first``/``last`` argument (connections, short
lists such as ``latestTimeline``) multiplies the cost of its selection by that page size —
the literal, the variable's value, the argument's default, or else the maximum page size —
and its own list of edges is not counted again. Any other list field multiplies its
selection by ``list_factor``. Introspection fields (``__schema``, ``__type``,
``__typename``) cost nothing: they read the in-memory schema.

The walk runs before validation, so it must survive invalid documents: unknown fields cost 1,
fragment cycles end the walk, and each fragment is measured once (a fragment spread twice in
each of twenty nested fragments costs 2^20 here, but is walked only twenty times).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
)
from graphql.pyutils import Undefined

PAGE_ARGUMENTS = ("first", "last")


@dataclass(frozen=True)
class Measure:
    depth: int = 0
    aliases: int = 0
    cost: int = 0

    def __add__(self, other: Measure) -> Measure:
        return Measure(
            depth=max(self.depth, other.depth),
            aliases=self.aliases + other.aliases,
            cost=self.cost + other.cost,
        )


@dataclass(frozen=True)
class DocumentSize:
    """The largest depth and cost of any operation; aliases summed over the document."""

    depth: int
    aliases: int
    cost: int
    mutations: int


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: dict[str, Any] | None,
        page_size_max: int,
        list_factor: int,
    ) -> None:
        self.schema = schema
        self.variables = variables or {}
        self.page_size_max = page_size_max
        self.list_factor = list_factor
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.measured: dict[str, Measure] = {}
        self.walking: set[str] = set()
        self.mutation_counts: dict[str, int] = {}

    def fragment(self, name: str) -> Measure:
        if name in self.measured:
            return self.measured[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.walking:
            return Measure()
        self.walking.add(name)
        on = self.schema.get_type(fragment.type_condition.name.value)
        measure = self.selections(fragment.selection_set, on, in_page=False)
        self.walking.discard(name)
        self.measured[name] = measure
        return measure

    def selections(
        self, selection_set: SelectionSetNode | None, on: GraphQLNamedType | None, *, in_page: bool
    ) -> Measure:
        total = Measure()
        if selection_set is None:
            return total
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, on, in_page=in_page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else on
                total += self.selections(selection.selection_set, inner, in_page=in_page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

    def field(self, node: FieldNode, on: GraphQLNamedType | None, *, in_page: bool) -> Measure:
        alias = 1 if node.alias else 0
        definition = _field_definition(on, node.name.value)
        if node.name.value.startswith("__"):
            inner = self.selections(node.selection_set, None, in_page=False)
            return Measure(depth=1 + inner.depth, aliases=alias + inner.aliases, cost=0)
        if definition is None or node.selection_set is None:
            inner = self.selections(node.selection_set, None, in_page=False)
            return Measure(depth=1 + inner.depth, aliases=alias + inner.aliases, cost=1)
        page = self.page_size(node, definition)
        inner = self.selections(
            node.selection_set, get_named_type(definition.type), in_page=page is not None
        )
        if page is not None:
            factor = page
        elif isinstance(get_nullable_type(definition.type), GraphQLList) and not in_page:
            factor = self.list_factor
        else:
            factor = 1
        return Measure(
            depth=1 + inner.depth, aliases=alias + inner.aliases, cost=1 + factor * inner.cost
        )

    def page_size(self, node: FieldNode, definition: GraphQLField) -> int | None:
        """The page a paged field asks for; None for a field without paging arguments."""
        names = [name for name in PAGE_ARGUMENTS if name in definition.args]
        if not names:
            return None
        given = {a.name.value: a.value for a in node.arguments or ()}
        sizes = []
        for name in names:
            if name in given:
                literal = given[name]
                value: Any = None
                if isinstance(literal, IntValueNode):
                    value = int(literal.value)
                elif isinstance(literal, VariableNode):
                    value = self.variables.get(literal.name.value)
            else:
                default = definition.args[name].default_value
                value = None if default is Undefined else default
            if isinstance(value, int) and not isinstance(value, bool):
                sizes.append(value)
        if not sizes:
            return self.page_size_max
        return max(0, min(max(sizes), self.page_size_max))

    def mutation_fields(self, selection_set: SelectionSetNode) -> int:
        """Root fields of a mutation, through fragments (each fragment counted once)."""
        count = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                count += 0 if selection.name.value.startswith("__") else 1
            elif isinstance(selection, InlineFragmentNode):
                count += self.mutation_fields(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                count += self.fragment_mutation_fields(selection.name.value)
        return count

    def fragment_mutation_fields(self, name: str) -> int:
        if name not in self.mutation_counts:
            fragment = self.fragments.get(name)
            self.mutation_counts[name] = 0  # a cycle ends here
            if fragment is not None:
                self.mutation_counts[name] = self.mutation_fields(fragment.selection_set)
        return self.mutation_counts[name]


def _field_definition(on: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    if isinstance(on, GraphQLObjectType | GraphQLInterfaceType):
        return on.fields.get(name)
    return None


def measure_document(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: dict[str, Any] | None = None,
    *,
    page_size_max: int,
    list_factor: int,
) -> DocumentSize:
    walker = _Walker(schema, document, variables, page_size_max, list_factor)
    depth = aliases = cost = mutations = 0
    roots = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        measure = walker.selections(
            definition.selection_set, roots.get(definition.operation), in_page=False
        )
        depth, cost = max(depth, measure.depth), max(cost, measure.cost)
        aliases += measure.aliases
        if definition.operation == OperationType.MUTATION:
            mutations = max(mutations, walker.mutation_fields(definition.selection_set))
    return DocumentSize(depth=depth, aliases=aliases, cost=cost, mutations=mutations)
