"""Per-request context: who is asking, the session factories, and this request's loaders.

Loaders are created per request (their caches must not outlive it) and each batch runs
in its own short read session, because sibling fields resolve concurrently and one
``AsyncSession`` cannot serve two coroutines at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

from resolvers import (
    clv,
    credit,
    customer_queries,
    document_queries,
    interaction_queries,
    pricing_rules,
    products,
    score_queries,
    segments,
    task_queries,
    timeline,
    users,
)
from resolvers.actor import Actor
from resolvers.config import DomainConfig
from resolvers.ports import EventPublisher, EventSubscriber, FileStore, LinkSigner
from resolvers.users import LoginThrottle
from schema.limits import DEFAULT_LIMITS, ApiLimits

K = TypeVar("K")
V = TypeVar("V")


class SessionFactories(Protocol):
    read_session: async_sessionmaker[AsyncSession]
    write_session: async_sessionmaker[AsyncSession]


class TokenIssuer(Protocol):
    def __call__(self, user_id: int) -> tuple[str, dt.datetime]: ...


class Loaders:
    """The request's data loaders, named for what they map."""

    def __init__(self, db: SessionFactories) -> None:
        self._db = db

    def _make(
        self, batch: Callable[[AsyncSession, Sequence[Any]], Awaitable[Sequence[Any]]]
    ) -> DataLoader[Any, Any]:
        async def load(keys: list[Any]) -> Sequence[Any]:
            async with self._db.read_session() as session:
                return await batch(session, keys)

        return DataLoader(load_fn=load)

    @cached_property
    def customer_by_id(self) -> DataLoader[int, Any]:
        return self._make(customer_queries.customers_by_ids)

    @cached_property
    def tags_by_customer_id(self) -> DataLoader[int, list[str]]:
        return self._make(customer_queries.tags_by_customer_ids)

    @cached_property
    def user_by_id(self) -> DataLoader[int, Any]:
        return self._make(users.users_by_ids)

    @cached_property
    def product_by_id(self) -> DataLoader[int, Any]:
        return self._make(products.products_by_ids)

    @cached_property
    def segments_by_customer_id(self) -> DataLoader[int, list[Any]]:
        return self._make(segments.segments_by_customer_ids)

    @cached_property
    def paid_by_order_id(self) -> DataLoader[int, Any]:
        return self._make(credit.paid_by_order_ids)

    @cached_property
    def pricing_rule_by_id(self) -> DataLoader[int, Any]:
        return self._make(pricing_rules.pricing_rules_by_ids)

    @cached_property
    def segment_by_id(self) -> DataLoader[int, Any]:
        return self._make(segments.segments_by_ids)

    @cached_property
    def customer_count_by_segment_id(self) -> DataLoader[int, int]:
        return self._make(segments.customer_counts_by_segment_ids)

    @cached_property
    def pricing_rules_by_segment_id(self) -> DataLoader[int, list[Any]]:
        return self._make(segments.pricing_rules_by_segment_ids)

    @cached_property
    def quotation_by_id(self) -> DataLoader[int, Any]:
        return self._make(document_queries.quotations_by_ids)

    @cached_property
    def order_by_id(self) -> DataLoader[int, Any]:
        return self._make(document_queries.orders_by_ids)

    @cached_property
    def lines_by_quotation_id(self) -> DataLoader[int, list[Any]]:
        return self._make(document_queries.quotation_lines)

    @cached_property
    def lines_by_order_id(self) -> DataLoader[int, list[Any]]:
        return self._make(document_queries.order_lines)

    @cached_property
    def status_changes_by_quotation_id(self) -> DataLoader[int, list[Any]]:
        return self._make(document_queries.quotation_status_changes)

    @cached_property
    def status_changes_by_order_id(self) -> DataLoader[int, list[Any]]:
        return self._make(document_queries.order_status_changes)

    @cached_property
    def payments_by_order_id(self) -> DataLoader[int, list[Any]]:
        return self._make(document_queries.order_payments)

    @cached_property
    def task_by_id(self) -> DataLoader[int, Any]:
        return self._make(task_queries.tasks_by_ids)

    @cached_property
    def first_tasks_by_customer(self) -> DataLoader[Any, list[Any]]:
        return self._make(task_queries.first_tasks_by_customer)

    @cached_property
    def task_count_by_customer(self) -> DataLoader[Any, int]:
        return self._make(task_queries.task_counts_by_customer)

    @cached_property
    def attachments_by_interaction_id(self) -> DataLoader[int, list[Any]]:
        return self._make(interaction_queries.attachments_by_interaction_ids)

    @cached_property
    def interaction_by_id(self) -> DataLoader[int, Any]:
        return self._make(interaction_queries.interactions_by_ids)

    @cached_property
    def payment_by_id(self) -> DataLoader[int, Any]:
        return self._make(document_queries.payments_by_ids)

    @cached_property
    def latest_timeline_by_customer_id(self) -> DataLoader[timeline.LatestKey, Any]:
        """Keyed by (customer, first, kinds): a page of customers in one statement."""
        return self._make(timeline.latest_timelines)

    @cached_property
    def engagement_by_customer_id(self) -> DataLoader[int, Any]:
        return self._make(score_queries.engagements_by_customer_ids)

    @cached_property
    def relationship_score_by_customer_id(self) -> DataLoader[int, Any]:
        return self._make(score_queries.relationship_scores_by_customer_ids)

    @cached_property
    def lifetime_value_by_customer_id(self) -> DataLoader[int, Any]:
        return self._make(clv.lifetime_values_by_customer_ids)

    @cached_property
    def timeline_count_by_customer_id(self) -> DataLoader[timeline.CountKey, int]:
        return self._make(timeline.count_timelines)


@dataclass(frozen=True)
class Services:
    """Process-wide services the API layer needs, implemented by ``app``."""

    db: SessionFactories
    config: DomainConfig
    issue_token: TokenIssuer
    login_throttle: LoginThrottle
    publisher: EventPublisher
    events: EventSubscriber
    links: LinkSigner
    link_ttl: dt.timedelta
    recheck_every: float
    authenticate: Callable[[str | None], Awaitable[Actor | None]]
    files: FileStore | None = None
    limits: ApiLimits = DEFAULT_LIMITS
    export_wait_seconds: float = 0.0  # how long exportCustomers waits for its file


@dataclass
class Context:
    services: Services
    actor: Actor | None
    request_id: str
    connection_params: dict[str, Any] | None = None
    client_address: str | None = None
    operation_names: list[str | None] = field(default_factory=list)
    """The operations run with this context, by name (None: anonymous), for the request log."""
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.services.db)

    @property
    def db(self) -> SessionFactories:
        return self.services.db

    @property
    def config(self) -> DomainConfig:
        return self.services.config

    def fresh_loaders(self) -> None:
        """Subscriptions live long: each event gets loaders of its own."""
        self.loaders = Loaders(self.services.db)
