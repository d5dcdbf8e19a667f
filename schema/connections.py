"""Relay connections over keyset pages, with ``totalCount`` computed only when asked for."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry

from resolvers.errors import DomainError
from resolvers.pagination import Page, clamp_page_size
from schema.errors import BadUserInput

N = TypeVar("N")


@strawberry.type(description="Where a page ends and whether another follows.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="A node with the cursor that points just past it.")
class Edge(Generic[N]):
    cursor: str
    node: N


@strawberry.type(description="One page of a list, with opaque keyset cursors.")
class Connection(Generic[N]):
    edges: list[Edge[N]]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list has (counted only if asked).")
    async def total_count(self) -> int:
        return await self.count()


def page_size(info: Any, first: int | None) -> int:
    config = info.context.config
    try:
        return clamp_page_size(
            first, default=config.page_size_default, maximum=config.page_size_max
        )
    except DomainError as exc:
        raise BadUserInput(exc) from exc


def connection(
    page: Page[Any], convert: Callable[[Any], N], count: Callable[[], Awaitable[int]]
) -> Connection[N]:
    return Connection(
        edges=[
            Edge(cursor=c, node=convert(item))
            for c, item in zip(page.cursors, page.items, strict=True)
        ],
        page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
        count=count,
    )


def list_connection(items: Sequence[N]) -> Connection[N]:
    """A complete list presented as a single page (for short, bounded lists)."""

    async def _count() -> int:
        return len(items)

    return Connection(
        edges=[Edge(cursor=str(i), node=item) for i, item in enumerate(items)],
        page_info=PageInfo(has_next_page=False, end_cursor=None),
        count=_count,
    )


def counted_by(session_factory: Any, fn: Callable[..., Awaitable[int]], **kwargs: Any):
    """A deferred count in its own short session: runs only if ``totalCount`` is selected."""

    async def _count() -> int:
        async with session_factory() as session:
            return await fn(session, **kwargs)

    return _count
