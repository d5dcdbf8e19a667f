"""Overdue and late are judged on business-time-zone calendar days (Asia/Kolkata, UTC+5:30)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from models.enums import Role, TaskStatus
from resolvers.actor import Actor
from resolvers.task_rules import completed_late, is_overdue, may_change_task, overdue_cutoff

KOLKATA = ZoneInfo("Asia/Kolkata")
# 2026-03-10 09:00 in Kolkata
DUE = dt.datetime(2026, 3, 10, 3, 30, tzinfo=dt.UTC)


def _utc(local: str) -> dt.datetime:
    return dt.datetime.fromisoformat(local).replace(tzinfo=KOLKATA).astimezone(dt.UTC)


def test_a_task_is_not_overdue_later_on_its_due_day():
    assert not is_overdue(
        status=TaskStatus.OPEN, due_at=DUE, now=_utc("2026-03-10T23:59:59"), timezone=KOLKATA
    )


def test_a_task_is_overdue_from_local_midnight_after_its_due_day():
    assert is_overdue(
        status=TaskStatus.OPEN, due_at=DUE, now=_utc("2026-03-11T00:00:00"), timezone=KOLKATA
    )


def test_utc_midnight_is_not_the_boundary():
    # 2026-03-11 00:30 UTC is already 06:00 on the 11th in Kolkata: overdue there
    now = dt.datetime(2026, 3, 11, 0, 30, tzinfo=dt.UTC)
    assert is_overdue(status=TaskStatus.OPEN, due_at=DUE, now=now, timezone=KOLKATA)
    # while 2026-03-10 18:00 UTC is 23:30 on the 10th: not yet
    now = dt.datetime(2026, 3, 10, 18, 0, tzinfo=dt.UTC)
    assert not is_overdue(status=TaskStatus.OPEN, due_at=DUE, now=now, timezone=KOLKATA)


def test_closed_tasks_are_never_overdue():
    later = _utc("2026-04-01T12:00:00")
    for status in (TaskStatus.COMPLETED, TaskStatus.CANCELLED):
        assert not is_overdue(status=status, due_at=DUE, now=later, timezone=KOLKATA)


def test_the_cutoff_is_local_midnight_in_utc():
    assert overdue_cutoff(_utc("2026-03-11T15:00:00"), KOLKATA) == dt.datetime(
        2026, 3, 10, 18, 30, tzinfo=dt.UTC
    )


def test_completion_on_the_due_day_is_on_time_and_the_next_day_late():
    assert not completed_late(due_at=DUE, completed_at=_utc("2026-03-10T22:00"), timezone=KOLKATA)
    assert completed_late(due_at=DUE, completed_at=_utc("2026-03-11T00:01"), timezone=KOLKATA)


def test_assignee_owner_managers_and_admins_may_change_a_task_but_nobody_else():
    def actor(user_id: int, role: Role = Role.SALES) -> Actor:
        return Actor(id=user_id, role=role, name="x", email="x@sanvi.test")

    assert may_change_task(actor(1), assignee_id=1, owner_id=2)
    assert may_change_task(actor(2), assignee_id=1, owner_id=2)
    assert may_change_task(actor(3, Role.MANAGER), assignee_id=1, owner_id=2)
    assert may_change_task(actor(3, Role.ADMIN), assignee_id=1, owner_id=2)
    assert not may_change_task(actor(3), assignee_id=1, owner_id=2)
