"""Permission classes derived from the role table in ``resolvers.roles``.

``allowed(Action.X)`` returns the one permission class for that action; every field of
the schema that needs more than a signed-in caller names its action this way, so the
authorisation matrix test can read the requirement back from the schema.
"""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar

from strawberry.permission import BasePermission
from strawberry.types import Info

from resolvers.roles import Action, is_allowed
from schema.errors import Forbidden, Unauthenticated


class RoleAllows(BasePermission):
    """Signed in, with a role the role table allows for ``action``."""

    action: ClassVar[Action]
    message = "You are not allowed to do this"
    error_extensions: ClassVar[dict[str, Any]] = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        actor = info.context.actor
        if actor is None:
            raise Unauthenticated()
        if not is_allowed(actor.role, self.action):
            raise Forbidden(f"Your role ({actor.role.value}) may not {self.action.value}")
        return True


@cache
def allowed(action: Action) -> type[RoleAllows]:
    name = "Can" + "".join(part.title() for part in action.name.split("_"))
    return type(name, (RoleAllows,), {"action": action, "__doc__": action.value})


class SignedIn(BasePermission):
    """Any signed-in user."""

    message = "Sign in first"
    error_extensions: ClassVar[dict[str, Any]] = {"code": "UNAUTHENTICATED"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if info.context.actor is None:
            raise Unauthenticated()
        return True
