"""Who may do what (DESIGN.md §6), written once as data.

Every permission check in the API is derived from ``PERMISSIONS``; the authorisation
tests walk the same table. Row-level rules (a task's assignee, a job's creator) live
beside the domain functions they guard.
"""

from __future__ import annotations

import enum

from models.enums import Role


class Action(enum.StrEnum):
    READ = "read customers, timeline, scores, analytics"
    WRITE_SALES = "create/update customers, interactions, tasks, quotations, orders"
    MANAGE_CREDIT = "change credit limits, override a credit block"
    MANAGE_SEGMENTS = "segmentation rules, segment pricing, bulk categorisation"
    IMPORT_EXPORT = "import and export customers"
    RECOMPUTE_ONE = "recompute one customer's lifetime value or segments"
    REFIT_ALL = "refit lifetime value for everyone, undo an import"
    READ_ANY_JOB = "read any job (creators always read their own)"
    LIVE_CREDIT_ALERTS = "live credit alerts"
    MANAGE_USERS = "create users, change their name, role and whether they are active"
    MANAGE_API_KEYS = "create, list and revoke API keys"
    READ_AUDIT_LOG = "read the audit log"


_ALL = frozenset(Role)
_STAFF = frozenset({Role.SALES, Role.MANAGER, Role.ADMIN})
_MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})
_ADMINS = frozenset({Role.ADMIN})

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.READ: _ALL,
    Action.WRITE_SALES: _STAFF,
    Action.MANAGE_CREDIT: _MANAGERS,
    Action.MANAGE_SEGMENTS: _MANAGERS,
    Action.IMPORT_EXPORT: _MANAGERS,
    Action.RECOMPUTE_ONE: _STAFF,
    Action.REFIT_ALL: _MANAGERS,
    Action.READ_ANY_JOB: _MANAGERS,
    Action.LIVE_CREDIT_ALERTS: _STAFF,
    Action.MANAGE_USERS: _ADMINS,
    Action.MANAGE_API_KEYS: _ADMINS,
    Action.READ_AUDIT_LOG: _ADMINS,
}


def is_allowed(role: Role, action: Action) -> bool:
    return role in PERMISSIONS[action]


def is_manager(role: Role) -> bool:
    return role in _MANAGERS
