"""Customers: the type at the centre of the API, its list, and create/update."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import credit_history as history_domain
from resolvers import customer_queries as queries
from resolvers import customers as customer_domain
from resolvers.contact_validation import normalise_tag
from resolvers.credit import credit_status
from resolvers.customer_queries import CustomerSortField as DomainSortField
from resolvers.errors import DomainError, NotFound, ValidationFailed
from resolvers.india import canonical_state
from resolvers.roles import Action
from schema.clv import RiskLevel
from schema.connections import Connection, connection, counted_by, page_size
from schema.enums import (
    BusinessType,
    CreditLevel,
    CustomerSortField,
    CustomerStatus,
    EngagementLevel,
    SortDirection,
    VolumeTier,
)
from schema.errors import BadUserInput, UserError
from schema.operations import acting_user, decode_id, optional_id, read, write
from schema.permissions import allowed
from schema.segments import Segment
from schema.timeline_event import TimelineEvent, TimelineKind
from schema.users import User, load_user

if TYPE_CHECKING:
    from schema.clv import LifetimeValue
    from schema.interactions import Interaction, InteractionFilter
    from schema.sales import Order, Quotation
    from schema.scores import Engagement, RelationshipScore
    from schema.tasks import CustomerTaskFilter, FollowUpTask

READ = [allowed(Action.READ)]
WRITE = [allowed(Action.WRITE_SALES)]


@strawberry.type(description="A postal address.")
class Address:
    line1: str | None
    line2: str | None
    city: str | None
    state: str | None
    postal_code: str | None
    country: str


@strawberry.type(description="One audited change of a customer's credit limit.")
class CreditLimitChange:
    id: strawberry.ID
    old_limit: Decimal | None
    new_limit: Decimal | None
    reason: str
    changed_at: dt.datetime
    changed_by_id: strawberry.Private[int | None]

    @strawberry.field(description="Who made the change.")
    async def changed_by(self, info: Info) -> User | None:
        return await load_user(info, self.changed_by_id)

    @classmethod
    def from_row(cls, row: Any) -> CreditLimitChange:
        return cls(
            id=strawberry.ID(str(row.id)),
            old_limit=row.old_limit,
            new_limit=row.new_limit,
            reason=row.reason,
            changed_at=row.changed_at,
            changed_by_id=row.changed_by_id,
        )


@strawberry.type(description="A customer's credit exposure against its limit.")
class Credit:
    limit: Decimal | None = strawberry.field(description="Null: no limit. 0: no credit at all.")
    outstanding: Decimal = strawberry.field(
        description="Order totals (not cancelled) minus their payments."
    )
    available: Decimal | None = strawberry.field(description="limit − outstanding.")
    utilization: float | None = strawberry.field(
        description="outstanding / limit as a fraction (0.75 = 75 %); null without a limit."
    )
    level: CreditLevel
    customer_id: strawberry.Private[int]

    @strawberry.field(description="Limit changes, newest first.")
    async def history(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[CreditLimitChange]:
        page = await read(
            info,
            history_domain.credit_history,
            customer_id=self.customer_id,
            first=page_size(info, first),
            after=after,
        )
        count = counted_by(
            info.context.db.read_session,
            history_domain.count_credit_history,
            customer_id=self.customer_id,
        )
        return connection(page, CreditLimitChange.from_row, count)


@strawberry.type(description="A customer of the business.")
class Customer:
    id: strawberry.ID
    code: str = strawberry.field(description="Unique, human-readable (e.g. CUS-000123).")
    name: str
    business_type: BusinessType
    status: CustomerStatus
    email: str | None
    phone: str | None = strawberry.field(description="E.164, e.g. +919820012345.")
    tax_id: str | None = strawberry.field(description="GSTIN, PAN or another tax id.")
    address: Address
    version: int = strawberry.field(description="Increases with every change; pass it back.")
    created_at: dt.datetime
    updated_at: dt.datetime
    owner_id: strawberry.Private[int | None]
    credit_limit: strawberry.Private[Decimal | None]
    credit_outstanding: strawberry.Private[Decimal]

    @classmethod
    def from_row(cls, row: Any) -> Customer:
        return cls(
            id=strawberry.ID(str(row.id)),
            code=row.code,
            name=row.name,
            business_type=row.business_type,
            status=row.status,
            email=row.email,
            phone=row.phone,
            tax_id=row.tax_id,
            address=Address(
                line1=row.address_line1,
                line2=row.address_line2,
                city=row.city,
                state=row.state,
                postal_code=row.postal_code,
                country=row.country,
            ),
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            owner_id=row.owner_id,
            credit_limit=row.credit_limit,
            credit_outstanding=row.credit_outstanding,
        )

    @property
    def pk(self) -> int:
        return int(self.id)

    @strawberry.field(description="Tags, lower-case and hyphenated.")
    async def tags(self, info: Info) -> list[str]:
        return await info.context.loaders.tags_by_customer_id.load(self.pk)

    @strawberry.field(description="The sales rep who owns the account.")
    async def owner(self, info: Info) -> User | None:
        return await load_user(info, self.owner_id)

    @strawberry.field(description="The segments the customer belongs to.")
    async def segments(self, info: Info) -> list[Segment]:
        rows = await info.context.loaders.segments_by_customer_id.load(self.pk)
        return [Segment.from_row(r) for r in rows]

    @strawberry.field(
        description="Engagement score and level (null until first computed; refreshed on "
        "every interaction, quotation answer and order, and periodically for everyone)."
    )
    async def engagement(
        self, info: Info
    ) -> Annotated[Engagement, strawberry.lazy("schema.scores")] | None:
        from schema.scores import customer_engagement

        return await customer_engagement(info, self.pk)

    @strawberry.field(
        description="Relationship score with its weighted components (null until first "
        "computed; refreshed like the engagement score)."
    )
    async def relationship_score(
        self, info: Info
    ) -> Annotated[RelationshipScore, strawberry.lazy("schema.scores")] | None:
        from schema.scores import customer_relationship_score

        return await customer_relationship_score(info, self.pk)

    @strawberry.field(
        description="Revenue so far and the predicted value and churn risk over the horizon "
        "(historical figures only until the customer is first scored)."
    )
    async def lifetime_value(
        self, info: Info
    ) -> Annotated[LifetimeValue, strawberry.lazy("schema.clv")]:
        from schema.clv import customer_lifetime_value

        return await customer_lifetime_value(info, self.pk)

    @strawberry.field(description="Credit limit, exposure and alert level.")
    async def credit(self, info: Info) -> Credit:
        status = credit_status(
            self.credit_limit, self.credit_outstanding, info.context.config.credit
        )
        return Credit(
            limit=status.limit,
            outstanding=status.outstanding,
            available=status.available,
            utilization=None if status.utilization is None else float(status.utilization),
            level=status.level,
            customer_id=self.pk,
        )

    @strawberry.field(
        description="Everything that happened with the customer, newest first: interactions, "
        "quotations, orders and their status changes, payments, credit events and tasks. "
        "Ties on occurredAt are broken by kind, then id, so pages never skip or repeat."
    )
    async def timeline(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        kinds: Annotated[
            list[TimelineKind] | None,
            strawberry.argument(description="Only events of these kinds (all when null or empty)."),
        ] = None,
    ) -> Connection[TimelineEvent]:
        from schema.timeline import customer_timeline

        return await customer_timeline(info, self.pk, first=first, after=after, kinds=kinds)

    @strawberry.field(description="Quotations, newest first.")
    async def quotations(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Quotation, strawberry.lazy("schema.sales")]]:
        from schema.sales import Quotation, documents_of_customer
        from schema.sales import models_quotation as model

        return await documents_of_customer(
            info, model, Quotation.from_row, customer_id=self.pk, first=first, after=after
        )

    @strawberry.field(description="Orders, newest first.")
    async def orders(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Order, strawberry.lazy("schema.sales")]]:
        from schema.sales import Order, documents_of_customer
        from schema.sales import models_order as model

        return await documents_of_customer(
            info, model, Order.from_row, customer_id=self.pk, first=first, after=after
        )

    @strawberry.field(description="Calls, meetings, emails and notes, newest first.")
    async def interactions(
        self,
        info: Info,
        filter: Annotated[InteractionFilter, strawberry.lazy("schema.interactions")] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Annotated[Interaction, strawberry.lazy("schema.interactions")]]:
        from schema.interactions import customer_interactions

        return await customer_interactions(info, self.pk, filter, first, after)

    @strawberry.field(
        description="Follow-up tasks by due date (batched across a page of customers)."
    )
    async def follow_up_tasks(
        self,
        info: Info,
        filter: Annotated[CustomerTaskFilter, strawberry.lazy("schema.tasks")] | None = None,
        first: int | None = None,
    ) -> Connection[Annotated[FollowUpTask, strawberry.lazy("schema.tasks")]]:
        from schema.tasks import customer_tasks

        return await customer_tasks(info, self.pk, filter, first)


async def load_customer(info: Info, customer_id: int) -> Customer | None:
    row = await info.context.loaders.customer_by_id.load(customer_id)
    return Customer.from_row(row) if row else None


@strawberry.input(description="Which customers to list; all conditions must hold.")
class CustomerFilter:
    search: str | None = strawberry.field(
        default=None, description="Words matched in name, code, email, phone and tax id."
    )
    business_types: list[BusinessType] | None = None
    statuses: list[CustomerStatus] | None = None
    states: list[str] | None = strawberry.field(
        default=None, description="State names or codes (MH, Maharashtra, …)."
    )
    owner_ids: list[strawberry.ID] | None = None
    tags: list[str] | None = strawberry.field(default=None, description="Any of these tags.")
    all_tags: bool = strawberry.field(default=False, description="Require every tag instead.")
    segment_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Members of any of these segments."
    )
    volume_tiers: list[VolumeTier] | None = strawberry.field(
        default=None, description="In any of these VOLUME segments."
    )
    engagement_levels: list[EngagementLevel] | None = strawberry.field(
        default=None, description="In any of these ENGAGEMENT segments."
    )
    credit_levels: list[CreditLevel] | None = strawberry.field(
        default=None, description="Customers whose credit is at any of these levels."
    )
    risk_levels: list[RiskLevel] | None = strawberry.field(
        default=None, description="Lifetime-value churn risk at any of these levels (scored only)."
    )
    min_predicted_value: Decimal | None = strawberry.field(
        default=None, description="Predicted lifetime value at least this (scored only)."
    )
    max_predicted_value: Decimal | None = strawberry.field(
        default=None, description="Predicted lifetime value at most this (scored only)."
    )
    created_from: dt.date | None = strawberry.field(
        default=None, description="Created on or after this day (business time zone)."
    )
    created_to: dt.date | None = strawberry.field(
        default=None, description="Created on or before this day (business time zone)."
    )

    def to_domain(self, info: Info) -> queries.CustomerFilter:
        """The domain filter; a malformed owner id or an unusable day is bad user input."""
        config = info.context.config

        def day_start(day: dt.date, field: str, days: int = 0) -> dt.datetime:
            try:
                local = dt.datetime.combine(day, dt.time(), config.timezone)
                return (local + dt.timedelta(days=days)).astimezone(dt.UTC)
            except OverflowError as exc:
                error = ValidationFailed("The day is out of range", field=field)
                raise BadUserInput(error) from exc

        try:
            owner_ids = tuple(decode_id(i, field="ownerIds") for i in self.owner_ids or ())
            segment_ids = tuple(decode_id(i, field="segmentIds") for i in self.segment_ids or ())
        except DomainError as exc:
            raise BadUserInput(exc) from exc
        return queries.CustomerFilter(
            search=self.search,
            business_types=tuple(self.business_types or ()),
            statuses=tuple(self.statuses or ()),
            states=tuple(canonical_state(s) or s for s in self.states or ()),
            owner_ids=owner_ids,
            # Spelled as stored, so "Key Account" finds the tag "key-account".
            tags=tuple(normalise_tag(t) for t in self.tags or ()),
            all_tags=self.all_tags,
            segment_ids=segment_ids,
            volume_tiers=tuple(self.volume_tiers or ()),
            engagement_levels=tuple(self.engagement_levels or ()),
            created_from=day_start(self.created_from, "createdFrom") if self.created_from else None,
            created_to=day_start(self.created_to, "createdTo", days=1) if self.created_to else None,
            credit_levels=tuple(self.credit_levels or ()),
            credit_thresholds=config.credit,
            risk_levels=tuple(self.risk_levels or ()),
            min_predicted_value=self.min_predicted_value,
            max_predicted_value=self.max_predicted_value,
        )


@strawberry.input(description="Sort order of the customer list.")
class CustomerOrder:
    field: CustomerSortField = DomainSortField.NAME
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class AddressInput:
    line1: str | None = strawberry.UNSET
    line2: str | None = strawberry.UNSET
    city: str | None = strawberry.UNSET
    state: str | None = strawberry.UNSET
    postal_code: str | None = strawberry.UNSET
    country: str | None = strawberry.UNSET


_ADDRESS_COLUMNS = {
    "line1": "address_line1",
    "line2": "address_line2",
    "city": "city",
    "state": "state",
    "postal_code": "postal_code",
    "country": "country",
}
_FIELD_COLUMNS = {
    "code": "code",
    "name": "name",
    "business_type": "business_type",
    "status": "status",
    "email": "email",
    "phone": "phone",
    "tax_id": "tax_id",
    "tags": "tags",
}


def _provided(source: Any) -> dict[str, Any]:
    """The fields a client actually sent (explicit nulls included) as column names."""
    values = {
        column: getattr(source, name)
        for name, column in _FIELD_COLUMNS.items()
        if getattr(source, name, strawberry.UNSET) is not strawberry.UNSET
    }
    address = getattr(source, "address", strawberry.UNSET)
    if address is not strawberry.UNSET and address is not None:
        for name, column in _ADDRESS_COLUMNS.items():
            if getattr(address, name) is not strawberry.UNSET:
                values[column] = getattr(address, name)
    owner_id = getattr(source, "owner_id", strawberry.UNSET)
    if owner_id is not strawberry.UNSET:
        values["owner_id"] = optional_id(owner_id, field="ownerId")
    return values


@strawberry.input(description="Customer details both creation and changes accept.")
class CustomerDetailsInput:
    code: str | None = strawberry.field(
        default=strawberry.UNSET, description="Unique; generated on creation when absent."
    )
    status: CustomerStatus | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    phone: str | None = strawberry.field(
        default=strawberry.UNSET, description="Any common format; stored as E.164."
    )
    tax_id: str | None = strawberry.UNSET
    address: AddressInput | None = strawberry.UNSET
    owner_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Defaults to the creating user."
    )
    tags: list[str] | None = strawberry.UNSET


@strawberry.input(description="A new customer. The code is generated when absent.")
class CreateCustomerInput(CustomerDetailsInput):
    name: str
    business_type: BusinessType


@strawberry.input(description="Changes to a customer: only the fields given are changed.")
class UpdateCustomerInput(CustomerDetailsInput):
    id: strawberry.ID
    version: int | None = strawberry.field(
        default=None, description="The version you edited; a stale one is refused."
    )
    name: str | None = strawberry.UNSET
    business_type: BusinessType | None = strawberry.UNSET


@strawberry.type
class CustomerPayload:
    customer: Customer | None
    errors: list[UserError]


def _without_null_status(values: dict[str, Any]) -> dict[str, Any]:
    """A null status means "leave it as it is" (new customers start ACTIVE)."""
    if "status" in values and values["status"] is None:
        del values["status"]
    return values


@strawberry.type
class CustomerQueries:
    @strawberry.field(
        description="Customers matching a filter, in keyset pages.", permission_classes=READ
    )
    async def customers(
        self,
        info: Info,
        filter: CustomerFilter | None = None,
        order_by: CustomerOrder | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Customer]:
        flt = filter.to_domain(info) if filter else None
        order = order_by or CustomerOrder()
        page = await read(
            info,
            queries.list_customers,
            flt=flt,
            sort=DomainSortField(order.field.value),
            descending=order.direction is SortDirection.DESC,
            first=page_size(info, first),
            after=after,
        )
        count = counted_by(info.context.db.read_session, queries.count_customers, flt=flt)
        return connection(page, Customer.from_row, count)

    @strawberry.field(description="One customer by id.", permission_classes=READ)
    async def customer(self, info: Info, id: strawberry.ID) -> Customer | None:
        try:
            pk = decode_id(id)
        except NotFound:
            return None
        return await load_customer(info, pk)


@strawberry.type
class CustomerMutations:
    @strawberry.mutation(description="Create a customer.", permission_classes=WRITE)
    async def create_customer(self, info: Info, input: CreateCustomerInput) -> CustomerPayload:
        actor = acting_user(info)

        async def run(session: Any) -> Any:
            data = _without_null_status(_provided(input))
            return await customer_domain.create_customer(
                session, actor=actor, data=data, config=info.context.config
            )

        customer, errors = await write(info, run)
        return CustomerPayload(
            customer=Customer.from_row(customer) if customer else None, errors=errors
        )

    @strawberry.mutation(
        description="Change a customer. Credit limits change only through updateCreditLimit.",
        permission_classes=WRITE,
    )
    async def update_customer(self, info: Info, input: UpdateCustomerInput) -> CustomerPayload:
        actor = acting_user(info)

        async def run(session: Any) -> Any:
            return await customer_domain.update_customer(
                session,
                actor=actor,
                customer_id=decode_id(input.id),
                changes=_without_null_status(_provided(input)),
                expected_version=input.version,
                config=info.context.config,
            )

        customer, errors = await write(info, run)
        return CustomerPayload(
            customer=Customer.from_row(customer) if customer else None, errors=errors
        )
