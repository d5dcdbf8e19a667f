"""Managing segmentation rules: create, change, deactivate, delete, list.

Conditions are validated by ``segment_conditions`` and stored in their normalised form.
A change takes effect at the next categorisation of the customers concerned (when they
change, or by ``bulkCategorizeCustomers``); rules never re-categorise 100,000 customers
as a side effect of an edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Row, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import CustomerSegment, CustomerSegmentationRule
from models.base import utcnow
from models.enums import RuleMatch, SegmentKind
from resolvers.contact_validation import normalise_name
from resolvers.errors import DomainError, DomainErrors, NotFound, ValidationFailed
from resolvers.segment_admin import segment_row
from resolvers.segment_conditions import parse_conditions

MAX_PRIORITY = 1_000_000

R = CustomerSegmentationRule


def _check_priority(priority: int) -> int:
    if not -MAX_PRIORITY <= priority <= MAX_PRIORITY:
        raise ValidationFailed(
            f"The priority is between -{MAX_PRIORITY} and {MAX_PRIORITY}", field="priority"
        )
    return priority


async def _values(session: AsyncSession, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validated column values for whichever fields ``data`` has, every problem at once."""
    values: dict[str, Any] = {}
    errors: list[DomainError] = []
    checks = {
        "name": lambda v: normalise_name(v),
        "priority": _check_priority,
        "conditions": lambda v: [c.to_json() for c in parse_conditions(v)],
    }
    for key, check in checks.items():
        if key in data:
            try:
                values[key] = check(data[key])
            except DomainErrors as exc:
                errors += exc.errors
            except DomainError as exc:
                errors.append(exc)
    if "segment_id" in data:
        try:
            values["segment_id"] = (
                await segment_row(session, data["segment_id"], field="segmentId")
            ).id
        except DomainError as exc:
            errors.append(exc)
    for key in ("match", "active"):
        if key in data and data[key] is not None:
            values[key] = data[key]
    if errors:
        raise DomainErrors(errors) if len(errors) > 1 else errors[0]
    return values


async def rule_row(session: AsyncSession, rule_id: int) -> Row[Any]:
    row = (await session.execute(select(*R.__table__.c).where(R.id == rule_id))).first()
    if row is None:
        raise NotFound("No segmentation rule with this id", field="id")
    return row


async def create_rule(session: AsyncSession, *, data: Mapping[str, Any]) -> Row[Any]:
    """A new rule; ``data`` has name, segment_id, conditions and optionally match (ALL),
    priority (0) and active (true)."""
    values = await _values(session, {"match": RuleMatch.ALL, "priority": 0, **data})
    for key, field in (("name", "name"), ("segment_id", "segmentId")):
        if key not in values:
            raise ValidationFailed("This field is required", field=field, code="REQUIRED")
    now = utcnow()
    values.setdefault("active", True)
    created = await session.execute(
        R.__table__.insert().values(**values, created_at=now, updated_at=now).returning(R.id)
    )
    return await rule_row(session, created.scalar_one())


async def update_rule(
    session: AsyncSession, *, rule_id: int, changes: Mapping[str, Any]
) -> Row[Any]:
    """Change the fields given; ``{"active": False}`` deactivates a rule."""
    await rule_row(session, rule_id)
    values = await _values(session, changes)
    if values:
        await session.execute(
            update(R).where(R.id == rule_id).values(**values, updated_at=utcnow())
        )
    return await rule_row(session, rule_id)


async def delete_rule(session: AsyncSession, *, rule_id: int) -> None:
    """Delete a rule; memberships it assigned stay until the next categorisation."""
    await rule_row(session, rule_id)
    await session.execute(delete(R).where(R.id == rule_id))


async def list_rules(
    session: AsyncSession,
    *,
    segment_id: int | None = None,
    kind: SegmentKind | None = None,
    active_only: bool = False,
) -> Sequence[Row[Any]]:
    """Rules by segment kind, then priority (highest first): the order they are tried in."""
    S = CustomerSegment
    query = (
        select(*R.__table__.c)
        .join(S, S.id == R.segment_id)
        .order_by(S.kind, R.priority.desc(), R.id)
    )
    if segment_id is not None:
        query = query.where(R.segment_id == segment_id)
    if kind is not None:
        query = query.where(S.kind == kind)
    if active_only:
        query = query.where(R.active.is_(True))
    return (await session.execute(query)).all()
