"""Fit both lifetime-value models on an RFM summary, or say why the heuristic must do.

Shared by the refit job and ``crm clv-backtest``: the same gate, the same fits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resolvers.clv_data import Rfm
from resolvers.clv_model import FitResult, fit_bgnbd, fit_gamma_gamma
from resolvers.clv_scoring import ClvConfig, FittedParams


@dataclass(frozen=True)
class ModelFit:
    """The outcome of one fitting run; ``params`` is None when the heuristic applies."""

    params: FittedParams | None
    bgnbd: FitResult | None
    gamma_gamma: FitResult | None
    customer_count: int
    repeat_customers: int
    fallback_reason: str | None


def fit_models(rfm: Rfm, config: ClvConfig) -> ModelFit:
    """Fit BG/NBD on everyone and Gamma-Gamma on repeat customers (CPU-bound: use a thread)."""
    repeat = int(np.count_nonzero(rfm.frequency > 0))
    if repeat < max(config.min_repeat_customers, 1):
        return ModelFit(
            None,
            None,
            None,
            len(rfm),
            repeat,
            f"only {repeat} repeat customers (at least {config.min_repeat_customers} needed)",
        )
    bgnbd = _fit_bgnbd_compressed(rfm)
    if not bgnbd.converged:
        reason = f"BG/NBD fit did not converge: {bgnbd.message}"
        return ModelFit(None, bgnbd, None, len(rfm), repeat, reason)
    gamma_gamma = fit_gamma_gamma(rfm.frequency, rfm.monetary)
    usable_spend = gamma_gamma.converged and gamma_gamma.params.q > 1  # type: ignore[union-attr]
    params = FittedParams(bgnbd.params, gamma_gamma.params if usable_spend else None)  # type: ignore[arg-type]
    return ModelFit(params, bgnbd, gamma_gamma, len(rfm), repeat, None)


def _fit_bgnbd_compressed(rfm: Rfm) -> FitResult:
    """BG/NBD on the distinct (x, t_x, T) triples, weighted by how many customers share one.

    Recency and T are whole days divided by 7, so at 100,000 customers the triples repeat
    often; the likelihood is the same, evaluated on fewer rows.
    """
    triples = np.column_stack((rfm.frequency, rfm.recency, rfm.T))
    if triples.shape[0] == 0:
        return fit_bgnbd(rfm.frequency, rfm.recency, rfm.T)
    unique, counts = np.unique(triples, axis=0, return_counts=True)
    return fit_bgnbd(unique[:, 0], unique[:, 1], unique[:, 2], weights=counts)
