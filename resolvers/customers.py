"""Creating and changing customers: validation, uniqueness, codes, optimistic versions.

Credit limits are deliberately absent: they change only through the audited credit
functions (DESIGN.md §4).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer, CustomerTag, User
from models.base import utcnow
from models.enums import CustomerStatus
from resolvers import contact_validation as cv
from resolvers.actor import Actor
from resolvers.categorisation import categorize_customer
from resolvers.config import DomainConfig
from resolvers.errors import Conflict, DomainError, DomainErrors, NotFound, ValidationFailed
from resolvers.numbering import CUSTOMER, next_number
from resolvers.search import customer_search_text

# API field name for each column, so errors point at what the client sent.
FIELD_NAMES = {
    "code": "code",
    "email": "email",
    "tax_id": "taxId",
    "phone": "phone",
    "name": "name",
}
_ADDRESS_LIMITS = {
    "address_line1": 200,
    "address_line2": 200,
    "city": 100,
    "postal_code": 20,
}


def _normalise_code(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if len(code) > 32 or not all(ch.isalnum() or ch in "-_/" for ch in code):
        raise ValidationFailed(
            "A code has at most 32 letters, digits, '-', '_' or '/'", field="code"
        )
    return code


def normalise_customer_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and normalise whichever customer fields are present, collecting every problem."""
    out: dict[str, Any] = {}
    errors: list[DomainError] = []
    country = data.get("country")

    def run(key: str, fn: Callable[[], Any]) -> None:
        try:
            out[key] = fn()
        except DomainError as exc:
            errors.append(exc)

    if "country" in data:
        run("country", lambda: cv.normalise_country(country))
        country = out.get("country", "IN")
    if "name" in data:
        run("name", lambda: cv.normalise_name(data["name"]))
    if "code" in data:
        run("code", lambda: _normalise_code(data["code"]))
    if "email" in data:
        run("email", lambda: cv.normalise_email(data["email"]))
    if "phone" in data:
        run("phone", lambda: cv.normalise_phone(data["phone"]))
    if "tax_id" in data:
        run("tax_id", lambda: cv.normalise_tax_id(data["tax_id"]))
    if "tags" in data:
        run("tags", lambda: cv.normalise_tags(data["tags"]))
    if "state" in data:
        run("state", lambda: cv.normalise_state(data["state"], country=country or "IN"))
    for key, limit in _ADDRESS_LIMITS.items():
        if key in data:
            run(
                key,
                lambda key=key, limit=limit: cv.normalise_optional_text(
                    data[key], field=f"address.{key}", max_length=limit
                ),
            )
    for key in ("business_type", "status", "owner_id"):
        if key in data:
            out[key] = data[key]
    if "business_type" in out and out["business_type"] is None:
        errors.append(ValidationFailed("A business type is required", field="businessType"))
    if errors:
        raise DomainErrors(errors) if len(errors) > 1 else errors[0]
    return out


async def _check_unique(
    session: AsyncSession, values: Mapping[str, Any], *, exclude_id: int | None = None
) -> None:
    """Name the field whose value is taken; the unique constraints still guard races."""
    probes = [
        getattr(Customer, key) == values[key]
        for key in ("code", "email", "tax_id")
        if values.get(key) is not None
    ]
    if not probes:
        return
    query = select(Customer.id, Customer.code, Customer.email, Customer.tax_id).where(or_(*probes))
    if exclude_id is not None:
        query = query.where(Customer.id != exclude_id)
    errors: list[DomainError] = []
    for row in (await session.execute(query)).all():
        for key in ("code", "email", "tax_id"):
            if values.get(key) is not None and getattr(row, key) == values[key]:
                errors.append(
                    Conflict(
                        f"Another customer ({row.code}) already has this {FIELD_NAMES[key]}",
                        field=FIELD_NAMES[key],
                        code="DUPLICATE",
                    )
                )
    if errors:
        raise DomainErrors(errors) if len(errors) > 1 else errors[0]


async def _check_owner(session: AsyncSession, owner_id: int | None) -> None:
    if owner_id is None:
        return
    active = await session.scalar(select(User.active).where(User.id == owner_id))
    if not active:
        raise NotFound("No active user with this id", field="ownerId")


def refresh_search_text(customer: Customer) -> None:
    customer.search_text = customer_search_text(
        name=customer.name,
        code=customer.code,
        email=customer.email,
        phone=customer.phone,
        tax_id=customer.tax_id,
    )


async def replace_tags(session: AsyncSession, customer_id: int, tags: list[str]) -> None:
    await session.execute(delete(CustomerTag).where(CustomerTag.customer_id == customer_id))
    if tags:
        await session.execute(
            insert(CustomerTag), [{"customer_id": customer_id, "tag": t} for t in tags]
        )


async def _flush_or_conflict(session: AsyncSession) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        # Lost a race with a concurrent writer on a unique value.
        raise Conflict(
            "Another customer already has this code, email or tax id", code="DUPLICATE"
        ) from exc


async def create_customer(
    session: AsyncSession,
    *,
    actor: Actor,
    data: Mapping[str, Any],
    config: DomainConfig | None = None,
) -> Customer:
    values = normalise_customer_fields(data)
    values.setdefault("country", "IN")
    values.setdefault("status", CustomerStatus.ACTIVE)
    if values.get("business_type") is None:
        raise ValidationFailed("A business type is required", field="businessType")
    if values.get("owner_id") is None:
        values["owner_id"] = actor.id
    await _check_owner(session, values["owner_id"])
    await _check_unique(session, values)
    tags = values.pop("tags", [])
    if not values.get("code"):
        values["code"] = await next_number(session, CUSTOMER)
    now = utcnow()
    customer = Customer(**values, version=1, created_at=now, updated_at=now)
    refresh_search_text(customer)
    session.add(customer)
    await _flush_or_conflict(session)
    await replace_tags(session, customer.id, tags)
    await categorize_customer(session, customer_id=customer.id, config=config)
    return customer


async def update_customer(
    session: AsyncSession,
    *,
    actor: Actor,
    customer_id: int,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    config: DomainConfig | None = None,
) -> Customer:
    customer = await session.scalar(
        select(Customer).where(Customer.id == customer_id).with_for_update()
    )
    if customer is None:
        raise NotFound("No customer with this id", field="id")
    if expected_version is not None and expected_version != customer.version:
        raise Conflict(
            f"The customer was changed by someone else (version {customer.version}, "
            f"you edited version {expected_version}); reload and try again",
            field="version",
            code="STALE_VERSION",
        )
    if "state" in changes and "country" not in changes:
        changes = {**changes, "country": customer.country}
    values = normalise_customer_fields(changes)
    if "code" in values and values["code"] is None:
        raise ValidationFailed("A customer code cannot be removed", field="code")
    if "owner_id" in values:
        await _check_owner(session, values["owner_id"])
    await _check_unique(session, values, exclude_id=customer.id)
    tags = values.pop("tags", None)
    for key, value in values.items():
        setattr(customer, key, value)
    refresh_search_text(customer)
    customer.version += 1
    customer.updated_at = utcnow()
    await _flush_or_conflict(session)
    if tags is not None:
        await replace_tags(session, customer.id, tags)
    await categorize_customer(session, customer_id=customer.id, config=config)
    return customer
