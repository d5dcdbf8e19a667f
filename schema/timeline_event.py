"""The ``TimelineEvent`` interface, apart from its implementations so that other areas
(the live credit-alert feed) can implement it without importing the whole timeline."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from resolvers.timeline_sources import TaskAction as DomainTaskAction
from resolvers.timeline_sources import TimelineKind as DomainTimelineKind
from schema.users import User, load_user

TimelineKind = strawberry.enum(
    DomainTimelineKind,
    description="What a timeline event is about; each kind has its own event type.",
)
TaskAction = strawberry.enum(DomainTaskAction, description="What happened to a task.")


@strawberry.interface(description="Something that happened with a customer, on its timeline.")
class TimelineEvent:
    id: strawberry.ID = strawberry.field(
        description="Stable: KIND:sourceId (tasks: TASK:created:ID, TASK:completed:ID)."
    )
    kind: TimelineKind = strawberry.field(description="Which kind; decides the event's type.")
    occurred_at: dt.datetime = strawberry.field(
        description="When it happened; the timeline is newest first by this."
    )
    summary: str = strawberry.field(description="One human sentence about the event.")
    actor_id: strawberry.Private[int | None]

    @strawberry.field(description="The user behind the event, where known.")
    async def actor(self, info: Info) -> User | None:
        return await load_user(info, self.actor_id)
