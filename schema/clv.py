"""Customer lifetime value: figures per customer, the fitted model, refit and rescore."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

import resolvers.clv_jobs  # noqa: F401 - registers the clv-refit job kind with the app
from models import enums
from models.base import utcnow
from resolvers import clv
from resolvers.clv_jobs import CLV_REFIT, refit_options
from resolvers.jobs import enqueue_job, readable_job
from resolvers.roles import Action
from schema.errors import UserError
from schema.jobs import Job
from schema.operations import acting_user, decode_id, read, write
from schema.permissions import allowed

RiskLevel = strawberry.enum(
    enums.RiskLevel, description="Churn risk from P(alive) and the customer's own rhythm."
)


@strawberry.type(
    description="What a customer has bought so far and is expected to buy over the horizon. "
    "Historical figures count orders not cancelled; predictions come from the BG/NBD and "
    "Gamma-Gamma models (or a named heuristic when the data are too thin to fit) and are "
    "null until the customer is first scored."
)
class LifetimeValue:
    total_revenue: Decimal = strawberry.field(description="Sum of order totals, not cancelled.")
    order_count: int = strawberry.field(description="Orders not cancelled.")
    average_order_value: Decimal | None = strawberry.field(
        description="Total revenue / order count; null without orders."
    )
    tenure_days: int = strawberry.field(description="Days since the first order (0 without).")
    first_order_at: dt.date | None = strawberry.field(
        description="Business date of the first order."
    )
    last_order_at: dt.date | None = strawberry.field(description="Business date of the last order.")
    probability_alive: float | None = strawberry.field(
        description="Probability (0–1) that the customer is still buying."
    )
    expected_purchases: float | None = strawberry.field(
        description="Expected purchase days over the horizon."
    )
    predicted_value: Decimal | None = strawberry.field(
        description="Expected revenue over the horizon (discounted when a rate is set)."
    )
    horizon_days: int = strawberry.field(description="The prediction horizon in days.")
    risk_score: float | None = strawberry.field(description="0–100; higher is more at risk.")
    risk_level: RiskLevel | None = strawberry.field(description="LOW, MEDIUM or HIGH.")
    model: str = strawberry.field(
        description="bgnbd-gg-v1 (fitted models), heuristic-rhythm-v1 (too little data to "
        "fit) or not-scored (historical figures only, computed live)."
    )
    computed_at: dt.datetime | None = strawberry.field(description="When the figures were scored.")

    @classmethod
    def from_row(cls, row: Any, *, horizon_days: int, today: dt.date) -> LifetimeValue:
        if getattr(row, "model_version", None) is not None:
            return cls(
                total_revenue=row.total_revenue,
                order_count=row.order_count,
                average_order_value=row.average_order_value,
                tenure_days=row.tenure_days,
                first_order_at=row.first_order_on,
                last_order_at=row.last_order_on,
                probability_alive=row.probability_alive,
                expected_purchases=row.expected_purchases,
                predicted_value=row.predicted_value,
                horizon_days=row.horizon_days,
                risk_score=row.risk_score,
                risk_level=row.risk_level,
                model=row.model_version,
                computed_at=row.computed_at,
            )
        return cls.history_only(row, horizon_days=horizon_days, today=today)

    @classmethod
    def history_only(cls, row: Any, *, horizon_days: int, today: dt.date) -> LifetimeValue:
        revenue = clv.money(0) if row is None else Decimal(row.total_revenue).quantize(clv.CENT)
        count = 0 if row is None else int(row.order_count)
        first = None if row is None else row.first_order_on
        return cls(
            total_revenue=revenue,
            order_count=count,
            average_order_value=(revenue / count).quantize(clv.CENT) if count else None,
            tenure_days=(today - first).days if first else 0,
            first_order_at=first,
            last_order_at=None if row is None else row.last_order_on,
            probability_alive=None,
            expected_purchases=None,
            predicted_value=None,
            horizon_days=horizon_days,
            risk_score=None,
            risk_level=None,
            model=clv.NOT_SCORED,
            computed_at=None,
        )


async def customer_lifetime_value(info: Info, customer_id: int) -> LifetimeValue:
    """Through the request's loader: a page of customers costs a constant number of statements."""
    row = await info.context.loaders.lifetime_value_by_customer_id.load(customer_id)
    config = info.context.config
    return LifetimeValue.from_row(row, horizon_days=config.clv.horizon_days, today=config.today())


@strawberry.type(description="BG/NBD purchase-count parameters (time in weeks).")
class BgNbdParameters:
    r: float
    alpha: float
    a: float
    b: float


@strawberry.type(description="Gamma-Gamma spend parameters (money in the shop's currency).")
class GammaGammaParameters:
    p: float
    q: float
    v: float


@strawberry.type(description="The current lifetime-value model: the newest refit.")
class ClvModel:
    fitted_at: dt.datetime = strawberry.field(description="When the refit ran.")
    calibration_end: dt.date = strawberry.field(description="Orders up to this day were used.")
    model: str = strawberry.field(description="bgnbd-gg-v1, or heuristic-rhythm-v1 as fallback.")
    customer_count: int = strawberry.field(description="Customers with at least one order.")
    repeat_customer_count: int = strawberry.field(description="Of those, customers who came back.")
    horizon_days: int = strawberry.field(description="The prediction horizon in days.")
    bgnbd: BgNbdParameters | None = strawberry.field(description="Null when not fitted.")
    gamma_gamma: GammaGammaParameters | None = strawberry.field(
        description="Null when not fitted (spend then falls back to each customer's own mean)."
    )
    bgnbd_log_likelihood: float | None
    gamma_gamma_log_likelihood: float | None
    gamma_gamma_sample_size: int | None = strawberry.field(
        description="Repeat customers the spend model was fitted on."
    )
    converged: bool = strawberry.field(description="Whether every fit that ran converged.")
    fallback_reason: str | None = strawberry.field(description="Why the heuristic is in use.")
    fit_seconds: float = strawberry.field(description="Time spent fitting and scoring.")

    @classmethod
    def from_row(cls, row: Any) -> ClvModel:
        bg = (
            BgNbdParameters(r=row.bgnbd_r, alpha=row.bgnbd_alpha, a=row.bgnbd_a, b=row.bgnbd_b)
            if row.bgnbd_r is not None
            else None
        )
        gg = (
            GammaGammaParameters(p=row.gamma_gamma_p, q=row.gamma_gamma_q, v=row.gamma_gamma_v)
            if row.gamma_gamma_p is not None
            else None
        )
        return cls(
            fitted_at=row.fitted_at,
            calibration_end=row.calibration_end,
            model=row.model,
            customer_count=row.customer_count,
            repeat_customer_count=row.repeat_customer_count,
            horizon_days=row.horizon_weeks * 7,
            bgnbd=bg,
            gamma_gamma=gg,
            bgnbd_log_likelihood=row.bgnbd_log_likelihood,
            gamma_gamma_log_likelihood=row.gamma_gamma_log_likelihood,
            gamma_gamma_sample_size=row.gamma_gamma_sample_size,
            converged=row.bgnbd_converged is not False and row.gamma_gamma_converged is not False,
            fallback_reason=row.fallback_reason,
            fit_seconds=row.fit_seconds,
        )


@strawberry.type
class ClvQueries:
    @strawberry.field(
        description="The current lifetime-value model (null before the first refit).",
        permission_classes=[allowed(Action.READ)],
    )
    async def clv_model(self, info: Info) -> ClvModel | None:
        row = await read(info, lambda session: clv.latest_fit(session))
        return None if row is None else ClvModel.from_row(row)


@strawberry.type(description="The result of calculateLifetimeValue.")
class CalculateLifetimeValuePayload:
    lifetime_value: LifetimeValue | None
    errors: list[UserError]


@strawberry.type(description="The result of recalculateLifetimeValues.")
class RecalculateLifetimeValuesPayload:
    job: Job | None = strawberry.field(description="The refit job; follow it with jobProgress.")
    errors: list[UserError]


@strawberry.type
class ClvMutations:
    @strawberry.mutation(
        description="Rescore one customer with the current model parameters (no refit).",
        permission_classes=[allowed(Action.RECOMPUTE_ONE)],
    )
    async def calculate_lifetime_value(
        self, info: Info, customer_id: strawberry.ID
    ) -> CalculateLifetimeValuePayload:
        config = info.context.config

        async def run(session: Any) -> int:
            pk = decode_id(customer_id, field="customerId")
            await clv.calculate_lifetime_value(
                session, customer_id=pk, config=config.clv, today=config.today(), now=utcnow()
            )
            return pk

        pk, errors = await write(info, run)
        if pk is None:
            return CalculateLifetimeValuePayload(lifetime_value=None, errors=errors)

        async def load(session: Any) -> Any:
            stored = await clv.stored_lifetime_values(session, [pk])
            return stored.get(pk) or (await clv.live_history(session, [pk])).get(pk)

        row = await read(info, load)
        value = LifetimeValue.from_row(
            row, horizon_days=config.clv.horizon_days, today=config.today()
        )
        return CalculateLifetimeValuePayload(lifetime_value=value, errors=[])

    @strawberry.mutation(
        description="Refit the lifetime-value model on every customer's orders and rescore "
        "everyone, as a job (it also runs weekly on its own).",
        permission_classes=[allowed(Action.REFIT_ALL)],
    )
    async def recalculate_lifetime_values(self, info: Info) -> RecalculateLifetimeValuesPayload:
        actor = acting_user(info)
        config = info.context.config

        async def run(session: Any) -> int:
            job = await enqueue_job(
                session,
                kind=CLV_REFIT,
                actor=actor,
                options=refit_options(config.clv, config.today()),
                publisher=info.context.services.publisher,
            )
            return job.id

        job_id, errors = await write(info, run)
        if job_id is None:
            return RecalculateLifetimeValuesPayload(job=None, errors=errors)
        row = await read(info, readable_job, actor=actor, job_id=job_id)
        return RecalculateLifetimeValuesPayload(job=Job.from_row(info, row), errors=[])
