"""Per-customer lifetime-value figures from an RFM summary and the fitted parameters.

Two ways to score, named in ``lifetimeValue.model``:

- ``bgnbd-gg-v1`` — the fitted models: P(alive) and expected purchases over the horizon from
  BG/NBD, expected spend per purchase day from Gamma-Gamma (the customer's own mean spend
  shrunk towards the population mean), predicted value = purchases × spend, discounted
  when a rate is set.
- ``heuristic-rhythm-v1`` — the fallback when the data are too thin to fit (fewer repeat
  customers than ``min_repeat_customers``) or a fit did not converge. Each customer's own
  rhythm g = recency / frequency weeks between purchase days (one-time customers take the
  median rhythm of the repeat customers, or 52 weeks); weeks since the last purchase
  s = T − recency; P(alive) = exp(−max(0, s/g − 1)) (1 while within their rhythm, decaying
  once overdue); expected purchases = P(alive) × horizon / g; spend = mean purchase-day
  total. Crude, but monotone in the right directions, and honest about being a heuristic.

Risk score 0–100, for both: 100 × (0.6 × (1 − P(alive)) + 0.4 × (1 − exp(−max(0, s/g − 1)))),
so a customer is at risk when the model thinks they may have left *or* they are overdue
against their own rhythm (BG/NBD gives one-time customers P(alive) = 1, the rhythm term
still catches them). Levels: HIGH ≥ ``risk_high``, MEDIUM ≥ ``risk_medium``, else LOW.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.enums import RiskLevel
from resolvers.clv_data import Rfm
from resolvers.clv_model import (
    BgNbdParams,
    GammaGammaParams,
    conditional_expected_spend,
    predicted_value,
    probability_alive,
)

FITTED_MODEL = "bgnbd-gg-v1"
HEURISTIC_MODEL = "heuristic-rhythm-v1"
DEFAULT_RHYTHM_WEEKS = 52.0


@dataclass(frozen=True)
class ClvConfig:
    horizon_weeks: int = 52
    annual_discount_rate: float = 0.0
    min_repeat_customers: int = 30
    risk_medium: float = 30.0
    risk_high: float = 60.0

    @property
    def horizon_days(self) -> int:
        return self.horizon_weeks * 7


@dataclass(frozen=True)
class FittedParams:
    """Parameters a scoring run uses; ``None`` means the heuristic."""

    bgnbd: BgNbdParams
    gamma_gamma: GammaGammaParams | None


@dataclass(frozen=True)
class Scores:
    """Arrays aligned with ``rfm.customer_ids``."""

    probability_alive: np.ndarray
    expected_purchases: np.ndarray
    expected_spend: np.ndarray
    predicted_value: np.ndarray
    risk_score: np.ndarray
    risk_levels: list[RiskLevel]
    model: str


def _own_rhythm(rfm: Rfm) -> np.ndarray:
    repeat = rfm.frequency > 0
    own = np.divide(rfm.recency, rfm.frequency, out=np.zeros_like(rfm.recency), where=repeat)
    return np.maximum(own, 1.0 / 7.0)  # at least one day


def typical_rhythm_weeks(rfm: Rfm) -> float:
    """The median rhythm of repeat customers (52 weeks without any): stored with each fit,
    so a one-customer rescore gives one-time customers the population's rhythm."""
    repeat = rfm.frequency > 0
    return float(np.median(_own_rhythm(rfm)[repeat])) if repeat.any() else DEFAULT_RHYTHM_WEEKS


def customer_rhythm(rfm: Rfm, typical_weeks: float | None = None) -> np.ndarray:
    """Weeks between purchase days per customer; one-time customers get the typical one."""
    if typical_weeks is None:
        typical_weeks = typical_rhythm_weeks(rfm)
    return np.where(rfm.frequency > 0, _own_rhythm(rfm), typical_weeks)


def _overdue_term(rfm: Rfm, rhythm: np.ndarray) -> np.ndarray:
    overdue = (rfm.T - rfm.recency) / rhythm
    return 1.0 - np.exp(-np.maximum(0.0, overdue - 1.0))


def risk_levels(scores: np.ndarray, config: ClvConfig) -> list[RiskLevel]:
    high, medium = scores >= config.risk_high, scores >= config.risk_medium
    return [
        RiskLevel.HIGH if h else RiskLevel.MEDIUM if m else RiskLevel.LOW
        for h, m in zip(high.tolist(), medium.tolist(), strict=True)
    ]


def _own_mean_spend(rfm: Rfm) -> np.ndarray:
    days = rfm.frequency + 1
    return np.divide(rfm.revenue, days, out=np.zeros_like(rfm.revenue), where=days > 0)


def score(
    rfm: Rfm,
    params: FittedParams | None,
    config: ClvConfig,
    *,
    typical_rhythm_weeks: float | None = None,
) -> Scores:
    """Score every customer of ``rfm`` with the fitted models, or the heuristic."""
    rhythm = customer_rhythm(rfm, typical_rhythm_weeks)
    overdue = _overdue_term(rfm, rhythm)
    horizon = float(config.horizon_weeks)
    if params is None:
        alive = np.exp(-np.maximum(0.0, (rfm.T - rfm.recency) / rhythm - 1.0))
        purchases = alive * horizon / rhythm
        spend = _own_mean_spend(rfm)
        value = purchases * spend * _flat_discount(config)
        model = HEURISTIC_MODEL
    else:
        alive = probability_alive(params.bgnbd, rfm.frequency, rfm.recency, rfm.T)
        if params.gamma_gamma is not None and params.gamma_gamma.q > 1:
            spend = conditional_expected_spend(params.gamma_gamma, rfm.frequency, rfm.monetary)
        else:
            spend = _own_mean_spend(rfm)
        purchases, value = predicted_value(
            params.bgnbd,
            spend,
            rfm.frequency,
            rfm.recency,
            rfm.T,
            horizon_weeks=horizon,
            annual_discount_rate=config.annual_discount_rate,
        )
        model = FITTED_MODEL
    # Degenerate parameters (a = 1 exactly, 2F1 overflow) must never store NaN or inf.
    purchases = np.nan_to_num(purchases, nan=0.0, posinf=0.0, neginf=0.0)
    value = np.nan_to_num(value, nan=0.0, posinf=0.0, neginf=0.0)
    risk = np.round(100.0 * (0.6 * (1.0 - alive) + 0.4 * overdue), 1)
    return Scores(alive, purchases, spend, value, risk, risk_levels(risk, config), model)


def _flat_discount(config: ClvConfig) -> float:
    """The heuristic spreads purchases evenly: discount them from the horizon's midpoint."""
    if config.annual_discount_rate <= 0:
        return 1.0
    return (1 + config.annual_discount_rate) ** (-(config.horizon_weeks / 2) / 52.0)
