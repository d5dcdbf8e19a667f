"""Follow-up tasks: the task list, create/complete/reassign/cancel, and live ``taskAlerts``.

Row-level refusals (completing, reassigning or cancelling a task that is neither yours nor
your customer's, unless you are a MANAGER or ADMIN) come back as a payload error with code
FORBIDDEN — the role check passed, the record said no. Asking for other people's task
lists without being a MANAGER or ADMIN is a top-level FORBIDDEN error.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from models.base import utcnow
from models.enums import Priority as DomainPriority
from resolvers import task_queries as queries
from resolvers import tasks as task_domain
from resolvers.errors import DomainError
from resolvers.pagination import Page, encode_cursor
from resolvers.roles import Action, is_manager
from resolvers.task_rules import is_overdue, overdue_cutoff
from resolvers.users import active_user
from schema.connections import Connection, connection, counted_by, page_size
from schema.enums import Priority, TaskSource, TaskStatus
from schema.errors import BadUserInput, Forbidden, Unauthenticated, UserError
from schema.operations import acting_user, decode_id, optional_id, read, write
from schema.permissions import allowed
from schema.users import User, load_user

if TYPE_CHECKING:
    from schema.customers import Customer


@strawberry.type(description="Something a sales rep has to do for a customer, by a due time.")
class FollowUpTask:
    id: strawberry.ID
    title: str
    description: str | None
    due_at: dt.datetime
    priority: Priority
    status: TaskStatus
    source: TaskSource
    outcome: str | None = strawberry.field(description="What came of it (when completed).")
    completed_at: dt.datetime | None
    completed_late: bool | None = strawberry.field(
        description="Completed on a later business day than it was due (null while open)."
    )
    cancel_reason: str | None
    created_at: dt.datetime
    customer_id: strawberry.Private[int]
    assignee_id: strawberry.Private[int]
    created_by_id: strawberry.Private[int | None]
    completed_by_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Any) -> FollowUpTask:
        return cls(
            id=strawberry.ID(str(row.id)),
            title=row.title,
            description=row.description,
            due_at=row.due_at,
            priority=row.priority,
            status=row.status,
            source=row.source,
            outcome=row.outcome,
            completed_at=row.completed_at,
            completed_late=row.completed_late,
            cancel_reason=row.cancel_reason,
            created_at=row.created_at,
            customer_id=row.customer_id,
            assignee_id=row.assignee_id,
            created_by_id=row.created_by_id,
            completed_by_id=row.completed_by_id,
        )

    @strawberry.field(
        description="Open, and the business day it was due on is over (business time zone)."
    )
    def is_overdue(self, info: Info) -> bool:
        return is_overdue(
            status=self.status,
            due_at=self.due_at,
            now=utcnow(),
            timezone=info.context.config.timezone,
        )

    @strawberry.field
    async def customer(
        self, info: Info
    ) -> Annotated[Customer, strawberry.lazy("schema.customers")] | None:
        from schema.customers import load_customer

        return await load_customer(info, self.customer_id)

    @strawberry.field(description="Who has to do it.")
    async def assignee(self, info: Info) -> User | None:
        return await load_user(info, self.assignee_id)

    @strawberry.field
    async def created_by(self, info: Info) -> User | None:
        return await load_user(info, self.created_by_id)

    @strawberry.field
    async def completed_by(self, info: Info) -> User | None:
        return await load_user(info, self.completed_by_id)


@strawberry.input(description="Which tasks to list. Without an assignee: the caller's own.")
class FollowUpTaskFilter:
    assignee_id: strawberry.ID | None = strawberry.field(
        default=None, description="Someone else's tasks: MANAGER and ADMIN only."
    )
    any_assignee: bool = strawberry.field(
        default=False, description="Everyone's tasks: MANAGER and ADMIN only."
    )
    statuses: list[TaskStatus] | None = None
    customer_id: strawberry.ID | None = None
    due_from: dt.datetime | None = strawberry.field(default=None, description="Due at or after.")
    due_before: dt.datetime | None = strawberry.field(default=None, description="Due before.")
    overdue: bool | None = strawberry.field(
        default=None, description="Only overdue tasks (true) or only those that are not (false)."
    )


@strawberry.input(description="Which of a customer's tasks to list.")
class CustomerTaskFilter:
    statuses: list[TaskStatus] | None = None
    overdue: bool | None = None


def _filter(info: Info, flt: FollowUpTaskFilter | None) -> queries.TaskFilter:
    flt = flt or FollowUpTaskFilter()
    actor = acting_user(info)
    try:
        assignee = optional_id(flt.assignee_id, field="assigneeId")
        customer = optional_id(flt.customer_id, field="customerId")
    except DomainError as exc:
        raise BadUserInput(exc) from exc
    wants_others = flt.any_assignee or (assignee is not None and assignee != actor.id)
    if wants_others and not is_manager(actor.role):
        raise Forbidden("Only managers and admins may list other people's tasks")
    return queries.TaskFilter(
        assignee_id=None if flt.any_assignee else (assignee or actor.id),
        statuses=tuple(flt.statuses or ()),
        customer_id=customer,
        due_from=flt.due_from,
        due_before=flt.due_before,
        overdue=flt.overdue,
        overdue_cutoff=overdue_cutoff(utcnow(), info.context.config.timezone),
    )


def customer_task_filter(info: Info, flt: CustomerTaskFilter | None) -> queries.TaskFilter:
    flt = flt or CustomerTaskFilter()
    cutoff = overdue_cutoff(utcnow(), info.context.config.timezone)
    return queries.TaskFilter(
        statuses=tuple(flt.statuses or ()),
        overdue=flt.overdue,
        overdue_cutoff=cutoff if flt.overdue is not None else None,
    )


async def customer_tasks(
    info: Info, customer_id: int, flt: CustomerTaskFilter | None, first: int | None
) -> Connection[FollowUpTask]:
    """A customer's first tasks by due date, batched across a page of customers."""
    domain = customer_task_filter(info, flt)
    loaders = info.context.loaders
    key = queries.CustomerTasksKey(
        customer_id=customer_id, flt=domain, first=page_size(info, first)
    )
    rows = await loaders.first_tasks_by_customer.load(key)  # up to first + 1

    async def count() -> int:
        return await loaders.task_count_by_customer.load((customer_id, domain))

    shown = rows[: key.first]
    page = Page(
        items=shown,
        cursors=[encode_cursor([r.due_at, r.id]) for r in shown],
        has_next_page=len(rows) > key.first,
    )
    return connection(page, FollowUpTask.from_row, count)


@strawberry.input(description="A task someone has to do for a customer.")
class CreateFollowUpTaskInput:
    customer_id: strawberry.ID
    title: str
    description: str | None = None
    due_at: dt.datetime
    priority: Priority = DomainPriority.MEDIUM
    assignee_id: strawberry.ID | None = strawberry.field(
        default=None, description="Defaults to the caller."
    )


@strawberry.type
class FollowUpTaskPayload:
    task: FollowUpTask | None
    errors: list[UserError]


def _payload(task: Any, errors: list[UserError]) -> FollowUpTaskPayload:
    return FollowUpTaskPayload(task=FollowUpTask.from_row(task) if task else None, errors=errors)


WRITE = [allowed(Action.WRITE_SALES)]


@strawberry.type
class TaskQueries:
    @strawberry.field(
        description="Tasks by due date (then id): the caller's own unless asked otherwise.",
        permission_classes=[allowed(Action.READ)],
    )
    async def follow_up_tasks(
        self,
        info: Info,
        filter: FollowUpTaskFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[FollowUpTask]:
        flt = _filter(info, filter)
        page = await read(
            info, queries.list_tasks, flt=flt, first=page_size(info, first), after=after
        )
        count = counted_by(info.context.db.read_session, queries.count_tasks, flt=flt)
        return connection(page, FollowUpTask.from_row, count)


@strawberry.type
class TaskMutations:
    @strawberry.mutation(description="Open a follow-up task.", permission_classes=WRITE)
    async def create_follow_up_task(
        self, info: Info, input: CreateFollowUpTaskInput
    ) -> FollowUpTaskPayload:
        actor = acting_user(info)

        async def run(session: Any) -> Any:
            return await task_domain.create_task(
                session,
                actor=actor,
                customer_id=decode_id(input.customer_id, field="customerId"),
                title=input.title,
                description=input.description,
                due_at=input.due_at,
                priority=input.priority,
                assignee_id=optional_id(input.assignee_id, field="assigneeId"),
                publisher=info.context.services.publisher,
            )

        return _payload(*await write(info, run))

    @strawberry.mutation(
        description="Mark a task done, saying what came of it (the assignee, the customer's "
        "owner, a manager or an admin).",
        permission_classes=WRITE,
    )
    async def complete_follow_up_task(
        self, info: Info, id: strawberry.ID, outcome: str
    ) -> FollowUpTaskPayload:
        actor = acting_user(info)

        async def run(session: Any) -> Any:
            return await task_domain.complete_task(
                session,
                actor=actor,
                task_id=decode_id(id),
                outcome=outcome,
                config=info.context.config,
            )

        return _payload(*await write(info, run))

    @strawberry.mutation(
        description="Give an open task to someone else (the assignee, the customer's owner, a "
        "manager or an admin).",
        permission_classes=WRITE,
    )
    async def reassign_follow_up_task(
        self, info: Info, id: strawberry.ID, assignee_id: strawberry.ID
    ) -> FollowUpTaskPayload:
        actor = acting_user(info)

        async def run(session: Any) -> Any:
            return await task_domain.reassign_task(
                session,
                actor=actor,
                task_id=decode_id(id),
                assignee_id=decode_id(assignee_id, field="assigneeId"),
                publisher=info.context.services.publisher,
            )

        return _payload(*await write(info, run))

    @strawberry.mutation(
        description="Drop an open task, saying why (the assignee, the customer's owner, a "
        "manager or an admin).",
        permission_classes=WRITE,
    )
    async def cancel_follow_up_task(
        self, info: Info, id: strawberry.ID, reason: str
    ) -> FollowUpTaskPayload:
        actor = acting_user(info)

        async def run(session: Any) -> Any:
            return await task_domain.cancel_task(
                session, actor=actor, task_id=decode_id(id), reason=reason
            )

        return _payload(*await write(info, run))


@strawberry.enum(description="Why a task alert was sent.")
class TaskAlertKind(enum.Enum):
    ASSIGNED = "ASSIGNED"
    OVERDUE = "OVERDUE"


@strawberry.type(description="A task was assigned to you, or one of yours became overdue.")
class TaskAlert:
    kind: TaskAlertKind
    occurred_at: dt.datetime
    task: FollowUpTask | None = strawberry.field(description="The task as it is now.")


@strawberry.type
class TaskSubscriptions:
    @strawberry.subscription(
        description="Live alerts about the caller's own tasks: assigned to them, or overdue.",
        permission_classes=[allowed(Action.READ)],
    )
    async def task_alerts(self, info: Info) -> AsyncGenerator[TaskAlert, None]:
        context = info.context
        services = context.services
        actor = acting_user(info)
        with services.events.subscribe(task_domain.TASK_ALERTS_TOPIC) as queue:
            while True:
                try:
                    message = await asyncio.wait_for(queue.get(), timeout=services.recheck_every)
                except TimeoutError:
                    async with services.db.read_session() as session:
                        if await active_user(session, actor.id) is None:
                            raise Unauthenticated() from None
                    continue
                if message.get("assigneeId") != actor.id:
                    continue
                context.fresh_loaders()
                row = await context.loaders.task_by_id.load(int(message["taskId"]))
                yield TaskAlert(
                    kind=TaskAlertKind(message["kind"]),
                    occurred_at=dt.datetime.fromisoformat(message["occurredAt"]),
                    task=FollowUpTask.from_row(row) if row else None,
                )
