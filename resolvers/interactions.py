"""Logging and changing interactions (calls, meetings, emails, notes, follow-ups).

Status moves one way: PENDING → COMPLETED or PENDING → CANCELLED. COMPLETED and CANCELLED
are final (setting the same status again changes nothing). Logging an interaction with
``follow_up_required`` opens a follow-up task in the same unit of work, assigned to the
customer's owner (or the author when the customer has none), due at 09:00 business time on
the follow-up date, or after the configured default delay when no date is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer, CustomerInteraction, FollowUpTask, InteractionAttachment
from models.base import utcnow
from models.enums import InteractionKind, InteractionStatus, Priority, TaskSource
from resolvers.actor import Actor
from resolvers.attachments import StoredAttachment
from resolvers.config import DomainConfig
from resolvers.contact_validation import normalise_tags
from resolvers.errors import Conflict, NotFound, ValidationFailed
from resolvers.ports import EventPublisher
from resolvers.relationship_refresh import refresh_customer_scores
from resolvers.tasks import create_task

FUTURE_TOLERANCE = dt.timedelta(minutes=5)
FOLLOW_UP_LOCAL_TIME = dt.time(9, 0)
MAX_SUBJECT = 300
MAX_OUTCOME = 500
MAX_DURATION_MINUTES = 24 * 60
_NEXT: dict[InteractionStatus, frozenset[InteractionStatus]] = {
    InteractionStatus.PENDING: frozenset(InteractionStatus),
    InteractionStatus.COMPLETED: frozenset({InteractionStatus.COMPLETED}),
    InteractionStatus.CANCELLED: frozenset({InteractionStatus.CANCELLED}),
}


def may_move(current: InteractionStatus, new: InteractionStatus) -> bool:
    return new in _NEXT[current]


@dataclass(frozen=True)
class InteractionDetails:
    customer_id: int
    kind: InteractionKind
    subject: str
    notes: str | None = None
    priority: Priority = Priority.MEDIUM
    status: InteractionStatus = InteractionStatus.COMPLETED
    outcome: str | None = None
    occurred_at: dt.datetime | None = None
    duration_minutes: int | None = None
    tags: Sequence[str] = ()
    follow_up_required: bool = False
    follow_up_date: dt.date | None = None


def _subject(value: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise ValidationFailed("The subject must not be empty", field="subject")
    if len(cleaned) > MAX_SUBJECT:
        raise ValidationFailed(f"At most {MAX_SUBJECT} characters", field="subject")
    return cleaned


def _outcome(value: str | None) -> str | None:
    cleaned = (value or "").strip() or None
    if cleaned and len(cleaned) > MAX_OUTCOME:
        raise ValidationFailed(f"At most {MAX_OUTCOME} characters", field="outcome")
    return cleaned


def _duration(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= MAX_DURATION_MINUTES:
        raise ValidationFailed(
            f"The duration is between 0 and {MAX_DURATION_MINUTES} minutes",
            field="durationMinutes",
        )
    return value


def _occurred_at(value: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if value is None:
        return now
    if value.tzinfo is None:
        raise ValidationFailed("The time needs a time zone", field="occurredAt")
    if value > now + FUTURE_TOLERANCE:
        raise ValidationFailed("An interaction cannot happen in the future", field="occurredAt")
    return value.astimezone(dt.UTC)


def follow_up_due_at(
    follow_up_date: dt.date | None, *, now: dt.datetime, config: DomainConfig
) -> dt.datetime:
    """09:00 business time on the follow-up date, or now + the default delay."""
    if follow_up_date is None:
        return now + config.follow_up_default_delay
    if follow_up_date < config.today(now):
        raise ValidationFailed("The follow-up date is in the past", field="followUpDate")
    local = dt.datetime.combine(follow_up_date, FOLLOW_UP_LOCAL_TIME, config.timezone)
    return local.astimezone(dt.UTC)


async def create_interaction(
    session: AsyncSession,
    *,
    actor: Actor,
    details: InteractionDetails,
    attachments: Sequence[StoredAttachment],
    config: DomainConfig,
    publisher: EventPublisher | None,
) -> tuple[CustomerInteraction, FollowUpTask | None]:
    now = utcnow()
    owner = (
        await session.execute(select(Customer.owner_id).where(Customer.id == details.customer_id))
    ).first()
    if owner is None:
        raise NotFound("No customer with this id", field="customerId")
    if details.status is InteractionStatus.CANCELLED:
        raise ValidationFailed("A new interaction is PENDING or COMPLETED", field="status")
    due_at = (
        follow_up_due_at(details.follow_up_date, now=now, config=config)
        if details.follow_up_required
        else None
    )
    interaction = CustomerInteraction(
        customer_id=details.customer_id,
        kind=details.kind,
        subject=_subject(details.subject),
        notes=(details.notes or "").strip() or None,
        priority=details.priority,
        status=details.status,
        outcome=_outcome(details.outcome),
        occurred_at=_occurred_at(details.occurred_at, now),
        duration_minutes=_duration(details.duration_minutes),
        tags=normalise_tags(list(details.tags)),
        follow_up_required=details.follow_up_required,
        follow_up_date=details.follow_up_date,
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    session.add(interaction)
    await session.flush()
    for stored in attachments:
        session.add(
            InteractionAttachment(
                interaction_id=interaction.id,
                name=stored.name,
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                storage_key=stored.storage_key,
                created_at=now,
            )
        )
    task = None
    if due_at is not None:
        task = await create_task(
            session,
            actor=actor,
            customer_id=details.customer_id,
            title=f"Follow up: {interaction.subject}"[:300],
            description=interaction.outcome,
            due_at=due_at,
            priority=details.priority,
            assignee_id=owner.owner_id or actor.id,
            source=TaskSource.INTERACTION,
            interaction_id=interaction.id,
            publisher=publisher,
        )
    await session.flush()
    await refresh_customer_scores(session, details.customer_id, config=config, now=now)
    return interaction, task


async def update_interaction(
    session: AsyncSession,
    *,
    actor: Actor,
    interaction_id: int,
    changes: dict[str, Any],
    config: DomainConfig | None = None,
) -> CustomerInteraction:
    """Change the given fields (``status``, ``outcome``, ``priority``, ``tags``, ``subject``,
    ``notes``, ``duration_minutes``); the status only along the allowed moves."""
    interaction = await session.scalar(
        select(CustomerInteraction)
        .where(CustomerInteraction.id == interaction_id)
        .with_for_update()
    )
    if interaction is None:
        raise NotFound("No interaction with this id", field="id")
    if "status" in changes and changes["status"] is not None:
        new = changes["status"]
        if not may_move(interaction.status, new):
            raise Conflict(
                f"An interaction that is {interaction.status.value} cannot become {new.value}",
                field="status",
            )
        interaction.status = new
    if "outcome" in changes:
        interaction.outcome = _outcome(changes["outcome"])
    if changes.get("priority") is not None:
        interaction.priority = changes["priority"]
    if "tags" in changes:
        interaction.tags = normalise_tags(changes["tags"])
    if changes.get("subject") is not None:
        interaction.subject = _subject(changes["subject"])
    if "notes" in changes:
        interaction.notes = (changes["notes"] or "").strip() or None
    if "duration_minutes" in changes:
        interaction.duration_minutes = _duration(changes["duration_minutes"])
    interaction.updated_at = utcnow()
    await session.flush()
    await refresh_customer_scores(session, interaction.customer_id, config=config)
    return interaction
