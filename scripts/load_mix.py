"""What the load test's clients send: a weighted mix of the frontend's operations per role,
with variables drawn from the customers and products of the data set, and the record of
every write the server acknowledged."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from scripts.load_support import DataSet, LoadUser, today
from scripts.load_verify import Acknowledged


@dataclass(frozen=True)
class Step:
    operation: str
    field: str
    weight: int


REP_MIX = (
    Step("CustomerDashboard", "customers", 18),
    Step("CustomerPage", "customer", 30),
    Step("LogInteraction", "createInteraction", 20),
    Step("CompleteFollowUpTask", "completeFollowUpTask", 10),
    Step("CreateQuotation", "createQuotation", 10),
    Step("CreateOrder", "createOrder", 12),
)
MANAGER_MIX = (
    Step("CrmAnalytics", "crmAnalytics", 20),
    Step("CustomerDashboard", "customers", 20),
    Step("CustomerPage", "customer", 20),
    Step("UpdateCreditLimit", "updateCreditLimit", 40),
)
KINDS = ("EMAIL", "CALL", "MEETING", "NOTE", "FOLLOW_UP")


@dataclass
class Client:
    """One signed-in user's session: what it may pick from, and its own open tasks."""

    user: LoadUser
    rng: random.Random
    data: DataSet
    hot_customers: list[int]
    open_tasks: list[int] = field(default_factory=list)

    @property
    def mix(self) -> tuple[Step, ...]:
        return REP_MIX if self.user.role.value == "SALES" else MANAGER_MIX

    def customer(self) -> int:
        return self.rng.choice(self.user.customer_ids or self.data.all_customer_ids)

    def lines(self) -> list[dict[str, Any]]:
        products = self.rng.sample(self.data.product_ids, self.rng.randint(1, 4))
        return [{"productId": str(p), "quantity": self.rng.randint(1, 5)} for p in products]

    def request(self) -> tuple[Step, dict[str, Any]]:
        step = self.rng.choices(self.mix, weights=[s.weight for s in self.mix])[0]
        if step.operation == "CompleteFollowUpTask" and not self.open_tasks:
            step = REP_MIX[2]  # nothing to complete yet: log the call that creates a task
        return step, self._variables(step.operation)

    def _variables(self, operation: str) -> dict[str, Any]:
        rng = self.rng
        if operation == "CustomerDashboard":
            mine = {"ownerIds": [str(self.user.id)]} if self.user.customer_ids else None
            return {"filter": mine, "first": 20}
        if operation == "CrmAnalytics":
            start = today() - dt.timedelta(days=rng.choice((30, 90, 365)))
            return {"from": start.isoformat(), "to": today().isoformat()}
        if operation == "CustomerPage":
            return {"id": str(self.customer()), "timelineFirst": 20}
        if operation == "LogInteraction":
            return {
                "input": {
                    "customerId": str(self.customer()),
                    "kind": rng.choice(KINDS),
                    "subject": f"Load test {rng.choice(KINDS).lower()} {rng.randint(1, 9999)}",
                    "notes": "Discussed the next order and delivery dates.",
                    "outcome": "Interested",
                    "followUpRequired": not self.open_tasks or rng.random() < 0.5,
                }
            }
        if operation == "CompleteFollowUpTask":
            return {"id": str(self.open_tasks.pop(0)), "outcome": "Called back, done."}
        if operation == "CreateQuotation":
            return {"input": {"customerId": str(self.customer()), "lines": self.lines()}}
        if operation == "CreateOrder":
            return {"input": {"customerId": str(self.customer()), "lines": self.lines()}}
        if operation == "UpdateCreditLimit":
            limit = None if rng.random() < 0.05 else f"{rng.randrange(1, 100) * 25_000}.00"
            return {
                "input": {
                    "customerId": str(rng.choice(self.hot_customers)),
                    "newLimit": limit,
                    "reason": "Quarterly credit review (load test)",
                }
            }
        raise ValueError(operation)

    def acknowledge(
        self, step: Step, variables: dict[str, Any], payload: dict, acked: Acknowledged
    ) -> None:
        """Record a write whose answer carried an id."""
        if step.operation == "LogInteraction":
            acked.interactions.append(int(payload["interaction"]["id"]))
            if task := payload.get("followUpTask"):
                acked.tasks_created.append(int(task["id"]))
                if task["assignee"]["id"] == str(self.user.id):
                    self.open_tasks.append(int(task["id"]))
        elif step.operation == "CompleteFollowUpTask":
            acked.tasks_completed.append(int(payload["task"]["id"]))
        elif step.operation == "UpdateCreditLimit":
            change = payload["change"]
            limit = None if change["newLimit"] is None else Decimal(change["newLimit"])
            acked.limit_changes.append((int(change["id"]), int(payload["customer"]["id"]), limit))
        elif step.operation == "CreateQuotation":
            quotation = payload["quotation"]
            acked.quotations.append((int(quotation["id"]), len(quotation["lines"])))
        elif step.operation == "CreateOrder":
            order = payload["order"]
            lines = len(variables["input"]["lines"])
            acked.orders.append((int(order["id"]), lines, Decimal(order["total"])))


def make_clients(data: DataSet, *, clients: int, seed: int) -> list[Client]:
    """Every eighth client is the manager; the others are the reps in turn."""
    rng = random.Random(seed)
    hot = rng.sample(data.all_customer_ids, min(40, len(data.all_customer_ids)))
    made = []
    for i in range(clients):
        user = data.manager if i % 8 == 7 else data.reps[i % len(data.reps)]
        made.append(Client(user, random.Random(seed * 1000 + i), data, hot))
    return made
