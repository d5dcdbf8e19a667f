"""When a follow-up task is overdue or late, and who may change it — defined once here.

A task is due on the business-time-zone calendar day of its ``due_at``. It becomes
**overdue** when that day is over: at local midnight after it, not at the due instant, so
a task due "today" at 09:00 is not overdue this afternoon. A task completed on a later
local day than its due day was completed **late**.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from models.enums import Role, TaskStatus
from resolvers.actor import Actor
from resolvers.errors import NotAllowed
from resolvers.roles import is_manager


def overdue_cutoff(now: dt.datetime, timezone: ZoneInfo) -> dt.datetime:
    """The start of today in the business time zone (UTC): tasks due before it are overdue."""
    today = now.astimezone(timezone).date()
    return dt.datetime.combine(today, dt.time(), timezone).astimezone(dt.UTC)


def is_overdue(
    *, status: TaskStatus, due_at: dt.datetime, now: dt.datetime, timezone: ZoneInfo
) -> bool:
    """Open, and its business day of due is over."""
    return status is TaskStatus.OPEN and due_at < overdue_cutoff(now, timezone)


def completed_late(*, due_at: dt.datetime, completed_at: dt.datetime, timezone: ZoneInfo) -> bool:
    """Completed on a later business day than the one it was due on."""
    return due_at < overdue_cutoff(completed_at, timezone)


def may_change_task(actor: Actor, *, assignee_id: int, owner_id: int | None) -> bool:
    """DESIGN.md §6: the assignee, the customer's owner, a MANAGER or an ADMIN."""
    return actor.id in (assignee_id, owner_id) or is_manager(actor.role)


def ensure_may_change_task(actor: Actor, *, assignee_id: int, owner_id: int | None) -> None:
    if actor.role is Role.VIEWER or not may_change_task(
        actor, assignee_id=assignee_id, owner_id=owner_id
    ):
        raise NotAllowed(
            "Only the assignee, the customer's owner, a manager or an admin may change this task",
            field="id",
        )
