"""Credit: limit changes, the alert list, dry-run checks and the live alert feed."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncGenerator
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import credit_alerts as alerts_domain
from resolvers import credit_limits as limits_domain
from resolvers.credit import CreditLevel as DomainCreditLevel
from resolvers.credit import credit_status
from resolvers.credit_exposure import CREDIT_ALERTS_TOPIC
from resolvers.errors import DomainError
from resolvers.roles import Action, is_manager
from resolvers.timeline_sources import TimelineKind
from resolvers.timeline_summary import credit_alert_summary
from resolvers.users import active_user
from schema.connections import Connection, connection, counted_by, page_size
from schema.customers import CreditLimitChange, Customer, load_customer
from schema.enums import CreditLevel
from schema.errors import BadUserInput, Unauthenticated, UserError
from schema.operations import acting_user, decode_id, read, write
from schema.permissions import allowed
from schema.timeline_event import TimelineEvent


@strawberry.input(description="A new credit limit, with the reason it changes.")
class UpdateCreditLimitInput:
    customer_id: strawberry.ID
    new_limit: Decimal | None = strawberry.field(
        description="At least 0, at most two decimals; null removes the limit."
    )
    reason: str = strawberry.field(description="Why; kept in the history (at most 500).")
    expected_version: int | None = strawberry.field(
        default=None, description="The customer version you read; a stale one is refused."
    )


@strawberry.type
class UpdateCreditLimitPayload:
    customer: Customer | None
    change: CreditLimitChange | None
    errors: list[UserError]


@strawberry.type(description="A customer whose exposure is at or above an alert level.")
class CreditLimitAlert:
    level: CreditLevel
    limit: Decimal | None
    outstanding: Decimal
    available: Decimal | None
    utilization: float | None = strawberry.field(description="outstanding / limit.")
    customer_id: strawberry.Private[int]

    @strawberry.field
    async def customer(self, info: Info) -> Customer | None:
        return await load_customer(info, self.customer_id)


@strawberry.type(description="What an extra amount would do to a customer's credit.")
class CreditCheckResult:
    allowed: bool = strawberry.field(description="False when it would go over the limit.")
    limit: Decimal | None
    outstanding: Decimal
    available: Decimal | None
    utilization_after: float | None
    level_after: CreditLevel


@strawberry.type(
    description="A customer's exposure crossed a threshold upwards: an event on the "
    "customer's timeline, and what `creditAlerts` sends live."
)
class CreditAlertEvent(TimelineEvent):
    level: CreditLevel
    previous_level: CreditLevel
    limit: Decimal | None
    outstanding: Decimal
    utilization: float | None
    customer_id: strawberry.Private[int]

    @strawberry.field
    async def customer(self, info: Info) -> Customer | None:
        return await load_customer(info, self.customer_id)

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> CreditAlertEvent:
        limit = None if message["limit"] is None else Decimal(message["limit"])
        outstanding = Decimal(message["outstanding"])
        return cls(
            id=strawberry.ID(f"{TimelineKind.CREDIT_ALERT.value}:{message['alertId']}"),
            kind=TimelineKind.CREDIT_ALERT,
            summary=credit_alert_summary(
                message["previousLevel"], message["level"], outstanding, limit
            ),
            actor_id=message.get("actorId"),
            level=DomainCreditLevel(message["level"]),
            previous_level=DomainCreditLevel(message["previousLevel"]),
            limit=limit,
            outstanding=outstanding,
            utilization=message["utilization"],
            occurred_at=dt.datetime.fromisoformat(message["occurredAt"]),
            customer_id=int(message["customerId"]),
        )


def _alert_from_row(info: Info) -> Any:
    thresholds = info.context.config.credit

    def convert(row: Any) -> CreditLimitAlert:
        status = credit_status(row.credit_limit, row.credit_outstanding, thresholds)
        return CreditLimitAlert(
            level=status.level,
            limit=status.limit,
            outstanding=status.outstanding,
            available=status.available,
            utilization=None if status.utilization is None else float(status.utilization),
            customer_id=row.id,
        )

    return convert


@strawberry.type
class CreditQueries:
    @strawberry.field(
        description="Customers at or above a credit level (default WARNING), most used first.",
        permission_classes=[allowed(Action.READ)],
    )
    async def credit_limit_alerts(
        self,
        info: Info,
        min_level: CreditLevel | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CreditLimitAlert]:
        minimum = DomainCreditLevel(min_level.value) if min_level else DomainCreditLevel.WARNING
        thresholds = info.context.config.credit
        page = await read(
            info,
            alerts_domain.credit_alerts,
            minimum=minimum,
            thresholds=thresholds,
            first=page_size(info, first),
            after=after,
        )
        count = counted_by(
            info.context.db.read_session,
            alerts_domain.count_credit_alerts,
            minimum=minimum,
            thresholds=thresholds,
        )
        return connection(page, _alert_from_row(info), count)

    @strawberry.field(
        description="Dry run: would this extra amount be allowed, and where would it leave us?",
        permission_classes=[allowed(Action.READ)],
    )
    async def credit_check(
        self, info: Info, customer_id: strawberry.ID, amount: Decimal
    ) -> CreditCheckResult | None:
        try:
            customer = decode_id(customer_id, field="customerId")
        except DomainError as exc:  # an id of no possible record: bad input, like a missing one
            raise BadUserInput(exc) from exc
        result = await read(
            info,
            alerts_domain.dry_run,
            customer_id=customer,
            amount=amount,
            thresholds=info.context.config.credit,
        )
        return CreditCheckResult(
            allowed=result.allowed,
            limit=result.limit,
            outstanding=result.outstanding,
            available=result.available,
            utilization_after=None
            if result.utilization_after is None
            else float(result.utilization_after),
            level_after=result.level_after,
        )


@strawberry.type
class CreditMutations:
    @strawberry.mutation(
        description="Change a credit limit, with a reason (audited).",
        permission_classes=[allowed(Action.MANAGE_CREDIT)],
    )
    async def update_credit_limit(
        self, info: Info, input: UpdateCreditLimitInput
    ) -> UpdateCreditLimitPayload:
        actor = acting_user(info)

        async def run(session: Any) -> Any:
            return await limits_domain.update_credit_limit(
                session,
                actor=actor,
                config=info.context.config,
                customer_id=decode_id(input.customer_id, field="customerId"),
                new_limit=input.new_limit,
                reason=input.reason,
                expected_version=input.expected_version,
                publisher=info.context.services.publisher,
            )

        result, errors = await write(info, run)
        if result is None:
            return UpdateCreditLimitPayload(customer=None, change=None, errors=errors)
        customer, change = result
        return UpdateCreditLimitPayload(
            customer=Customer.from_row(customer),
            change=CreditLimitChange.from_row(change),
            errors=[],
        )


@strawberry.type
class CreditSubscriptions:
    @strawberry.subscription(
        description="Credit alerts as they happen: all for managers and admins, their own "
        "customers' for sales reps.",
        permission_classes=[allowed(Action.LIVE_CREDIT_ALERTS)],
    )
    async def credit_alerts(self, info: Info) -> AsyncGenerator[CreditAlertEvent, None]:
        context = info.context
        services = context.services
        actor = acting_user(info)
        sees_all = is_manager(actor.role)
        with services.events.subscribe(CREDIT_ALERTS_TOPIC) as queue:
            while True:
                try:
                    message = await asyncio.wait_for(queue.get(), timeout=services.recheck_every)
                except TimeoutError:
                    async with services.db.read_session() as session:
                        if await active_user(session, actor.id) is None:
                            raise Unauthenticated() from None
                    continue
                if sees_all or message.get("ownerId") == actor.id:
                    context.fresh_loaders()
                    yield CreditAlertEvent.from_message(message)
