"""The ``clv-refit`` job: refit the lifetime-value model and rescore every customer.

Set-based: one statement reads every customer's purchase days, numpy and scipy do the
rest in a worker thread (the event loop, and so the job heartbeat, keeps running), and the
figures are upserted in batches, each its own short transaction so readers and other
writers are never blocked for long. Rows the run did not touch (customers whose orders
have all been cancelled since) are deleted at the end. The fit row is written first:
``calculateLifetimeValue`` uses the new parameters as soon as they exist.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from functools import partial
from typing import Any

from models.base import utcnow
from models.clv import ClvModelFit
from resolvers.clv import delete_lifetime_values_older_than, storage_rows, upsert_lifetime_values
from resolvers.clv_data import Rfm, load_purchase_days, summarise
from resolvers.clv_fitting import ModelFit, fit_models
from resolvers.clv_scoring import ClvConfig, Scores, score, typical_rhythm_weeks
from resolvers.jobs import job_kind
from resolvers.ports import JobContext

CLV_REFIT = "clv-refit"
BATCH = 5_000


def refit_options(config: ClvConfig, today: dt.date) -> dict[str, Any]:
    """What the job needs, JSON-ready: the settings in force and the business day."""
    return {"config": dataclasses.asdict(config), "today": today.isoformat()}


def _fit_and_score(data, today: dt.date, config: ClvConfig):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    rfm = summarise(data, today)
    fit = fit_models(rfm, config)
    rhythm = typical_rhythm_weeks(rfm)
    scores = score(rfm, fit.params, config, typical_rhythm_weeks=rhythm)
    return rfm, fit, scores, rhythm, time.perf_counter() - started


def fit_row(
    fit: ModelFit, config: ClvConfig, *, today: dt.date, rhythm: float, seconds: float
) -> ClvModelFit:
    bgnbd, gamma_gamma = fit.bgnbd, fit.gamma_gamma
    usable = fit.params is not None
    bg = bgnbd.params if usable and bgnbd else None
    gg = fit.params.gamma_gamma if usable else None  # type: ignore[union-attr]
    return ClvModelFit(
        fitted_at=utcnow(),
        calibration_end=today,
        model="bgnbd-gg-v1" if usable else "heuristic-rhythm-v1",
        customer_count=fit.customer_count,
        repeat_customer_count=fit.repeat_customers,
        horizon_weeks=config.horizon_weeks,
        typical_rhythm_weeks=rhythm,
        bgnbd_r=bg.r if bg else None,  # type: ignore[union-attr]
        bgnbd_alpha=bg.alpha if bg else None,  # type: ignore[union-attr]
        bgnbd_a=bg.a if bg else None,  # type: ignore[union-attr]
        bgnbd_b=bg.b if bg else None,  # type: ignore[union-attr]
        bgnbd_log_likelihood=bgnbd.log_likelihood if bgnbd else None,
        bgnbd_converged=bgnbd.converged if bgnbd else None,
        gamma_gamma_p=gg.p if gg else None,
        gamma_gamma_q=gg.q if gg else None,
        gamma_gamma_v=gg.v if gg else None,
        gamma_gamma_log_likelihood=gamma_gamma.log_likelihood if gamma_gamma else None,
        gamma_gamma_converged=gamma_gamma.converged if gamma_gamma else None,
        gamma_gamma_sample_size=gamma_gamma.sample_size if gamma_gamma else None,
        fallback_reason=fit.fallback_reason,
        fit_seconds=seconds,
    )


@job_kind(CLV_REFIT)
async def refit_lifetime_values(ctx: JobContext) -> dict[str, Any]:
    config = ClvConfig(**ctx.options.get("config", {}))
    today = dt.date.fromisoformat(ctx.options["today"])
    started_at = utcnow()
    async with ctx.read_session() as session:
        data = await load_purchase_days(session, until=today)
    rfm, fit, scores, rhythm, seconds = await ctx.in_thread(_fit_and_score, data, today, config)
    del data
    await ctx.report(processed=0, total=len(rfm), progress=0.3)
    async with ctx.write_session() as session:
        session.add(fit_row(fit, config, today=today, rhythm=rhythm, seconds=seconds))
        await session.commit()
    await _store(ctx, rfm, scores, config, today=today, computed_at=started_at)
    async with ctx.write_session() as session:
        removed = await delete_lifetime_values_older_than(session, started_at)
        await session.commit()
    return {
        "customers": len(rfm),
        "repeat_customers": fit.repeat_customers,
        "model": scores.model,
        "fallback_reason": fit.fallback_reason,
        "fit_seconds": round(seconds, 3),
        "removed": removed,
    }


async def _store(
    ctx: JobContext,
    rfm: Rfm,
    scores: Scores,
    config: ClvConfig,
    *,
    today: dt.date,
    computed_at: dt.datetime,
) -> None:
    total = len(rfm)
    for start in range(0, total, BATCH):
        part = slice(start, start + BATCH)
        rows = await ctx.in_thread(
            partial(
                storage_rows,
                _slice_rfm(rfm, part),
                _slice_scores(scores, part),
                config,
                today=today,
                computed_at=computed_at,
            )
        )
        async with ctx.write_session() as session:
            await upsert_lifetime_values(session, rows)
            await session.commit()
        done = min(start + BATCH, total)
        await ctx.report(processed=done, total=total, progress=0.3 + 0.7 * done / total)


def _slice_rfm(rfm: Rfm, part: slice) -> Rfm:
    return Rfm(**{f.name: getattr(rfm, f.name)[part] for f in dataclasses.fields(rfm)})


def _slice_scores(scores: Scores, part: slice) -> Scores:
    values = {f.name: getattr(scores, f.name) for f in dataclasses.fields(scores)}
    return Scores(**{k: v if k == "model" else v[part] for k, v in values.items()})
