"""The lifetime-value model: BG/NBD purchase counts and Gamma-Gamma spend, fitted by MLE.

BG/NBD is Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way"; the
Gamma-Gamma spend model is Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value
Curves". Conventions, as in the literature: time in weeks; ``frequency`` x = number of
repeat purchase days; ``recency`` t_x = last − first purchase; ``T`` = calibration end −
first purchase; ``monetary`` = mean of the repeat-purchase-day totals (first excluded).

Likelihoods are written in log space (``gammaln``/``betaln``) so that large frequencies and
long histories neither overflow nor underflow. Both fits optimise the log of the
parameters with L-BFGS-B, so the parameters stay positive without hard constraints, and
report whether the optimiser converged. This module is plain numpy/scipy: the server, the
refit job and ``crm clv-backtest`` all call these functions. scipy is imported where it is
used, so starting the server does not pay for it (about 0.3 s) before the first refit.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass

import numpy as np

# log-parameter bounds: every parameter within [1e-4, 1e4] (alpha and v are in weeks and
# money; the data are rescaled before fitting, see _scale, so this range is generous).
_LOG_BOUNDS = (np.log(1e-4), np.log(1e4))


@dataclass(frozen=True)
class BgNbdParams:
    r: float
    alpha: float
    a: float
    b: float


@dataclass(frozen=True)
class GammaGammaParams:
    p: float
    q: float
    v: float


@dataclass(frozen=True)
class FitResult:
    """Fitted parameters with what a reader needs to trust them."""

    params: BgNbdParams | GammaGammaParams
    log_likelihood: float
    converged: bool
    iterations: int
    sample_size: int
    message: str

    def as_dict(self) -> dict:
        return {**asdict(self), "params": asdict(self.params)}


# ---------------------------------------------------------------- BG/NBD


def bgnbd_log_likelihood(
    params: BgNbdParams,
    frequency: np.ndarray,
    recency: np.ndarray,
    T: np.ndarray,
) -> np.ndarray:
    """Per-customer log-likelihood, equation (6) of the paper, in log space."""
    from scipy.special import betaln, gammaln

    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    x = np.asarray(frequency, dtype=float)
    t_x = np.asarray(recency, dtype=float)
    T = np.asarray(T, dtype=float)
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha) - betaln(a, b)
    term_alive = betaln(a, b + x) - (r + x) * np.log(alpha + T)
    repeat = x > 0
    term_dropped = np.full_like(x, -np.inf)
    term_dropped[repeat] = betaln(a + 1, b + x[repeat] - 1) - (r + x[repeat]) * np.log(
        alpha + t_x[repeat]
    )
    return common + np.logaddexp(term_alive, term_dropped)


def _scale(values: np.ndarray) -> float:
    """A scale that brings the data near 1, so one set of bounds and starts suits all."""
    positive = values[values > 0]
    return float(np.median(positive)) if positive.size else 1.0


def fit_bgnbd(
    frequency: np.ndarray,
    recency: np.ndarray,
    T: np.ndarray,
    *,
    weights: np.ndarray | None = None,
) -> FitResult:
    """Maximum-likelihood BG/NBD parameters over all customers.

    Time is rescaled by the median T before fitting (alpha scales with time, r, a and b do
    not) and scaled back afterwards, which keeps the optimiser well conditioned whatever
    the unit of the data. Identical (x, t_x, T) rows may be collapsed with ``weights``.
    """
    x = np.asarray(frequency, dtype=float)
    scale = _scale(np.asarray(T, dtype=float))
    t_x = np.asarray(recency, dtype=float) / scale
    t_cal = np.asarray(T, dtype=float) / scale
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    total = float(w.sum())

    def objective(log_params: np.ndarray) -> float:
        r, alpha, a, b = np.exp(log_params)
        ll = bgnbd_log_likelihood(BgNbdParams(r, alpha, a, b), x, t_x, t_cal)
        value = -float(np.dot(w, ll)) / total
        return value if np.isfinite(value) else 1e300

    # Starts: r and alpha from the mean purchase rate (r/alpha = rate), a = b = 1.
    rate = max(float(np.dot(w, x) / np.dot(w, np.maximum(t_cal, 1e-9))), 1e-3)
    start = np.log([1.0, 1.0 / rate, 1.0, 1.0])
    result = _minimise(objective, start, 4)
    r, alpha, a, b = np.exp(result.x)
    params = BgNbdParams(float(r), float(alpha * scale), float(a), float(b))
    log_likelihood = float(np.dot(w, bgnbd_log_likelihood(params, x, t_x * scale, t_cal * scale)))
    return FitResult(
        params, log_likelihood, bool(result.success), int(result.nit), int(total), result.message
    )


def _minimise(objective, start: np.ndarray, size: int):  # type: ignore[no-untyped-def]
    from scipy.optimize import minimize

    result = minimize(
        objective,
        start,
        method="L-BFGS-B",
        bounds=[_LOG_BOUNDS] * size,
        options={"maxiter": 1000, "ftol": 1e-12, "gtol": 1e-8},
    )
    result.message = str(result.message)
    return result


def probability_alive(
    params: BgNbdParams,
    frequency: np.ndarray,
    recency: np.ndarray,
    T: np.ndarray,
) -> np.ndarray:
    """P(alive | x, t_x, T), equation (11); 1 for customers without repeat purchases."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    x = np.asarray(frequency, dtype=float)
    t_x = np.asarray(recency, dtype=float)
    T = np.asarray(T, dtype=float)
    log_ratio = (
        np.log(a)
        - np.log(np.maximum(b + x - 1, 1e-300))
        + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    )
    palive = np.exp(-np.logaddexp(0.0, log_ratio))
    return np.where(x > 0, palive, 1.0)


def expected_purchases_new_customer(params: BgNbdParams, t: float | np.ndarray) -> np.ndarray:
    """E[X(t)] for a customer just acquired, equation (7)."""
    from scipy.special import hyp2f1

    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    t = np.asarray(t, dtype=float)
    hyp = hyp2f1(r, b, a + b - 1, t / (alpha + t))
    return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp)


def conditional_expected_purchases(
    params: BgNbdParams,
    t: float | np.ndarray,
    frequency: np.ndarray,
    recency: np.ndarray,
    T: np.ndarray,
) -> np.ndarray:
    """E[Y(t) | x, t_x, T]: expected purchases in the next t weeks, equation (10)."""
    from scipy.special import hyp2f1

    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    x = np.asarray(frequency, dtype=float)
    T = np.asarray(T, dtype=float)
    t = np.asarray(t, dtype=float)
    z = t / (alpha + T + t)
    hyp = hyp2f1(r + x, b + x, a + b + x - 1, z)
    ratio = np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t)))
    numerator = (a + b + x - 1) / (a - 1) * (1 - ratio * hyp)
    return numerator * probability_alive(params, x, recency, T)


# ---------------------------------------------------------------- Gamma-Gamma


def gamma_gamma_log_likelihood(
    params: GammaGammaParams, frequency: np.ndarray, monetary: np.ndarray
) -> np.ndarray:
    """Per-customer log-likelihood of the mean spend m̄ of x transactions (x > 0)."""
    from scipy.special import gammaln

    p, q, v = params.p, params.q, params.v
    x = np.asarray(frequency, dtype=float)
    m = np.asarray(monetary, dtype=float)
    px = p * x
    return (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(v)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * np.log(x * m + v)
    )


def fit_gamma_gamma(frequency: np.ndarray, monetary: np.ndarray) -> FitResult:
    """Maximum-likelihood Gamma-Gamma parameters over customers with x > 0 and m̄ > 0."""
    x = np.asarray(frequency, dtype=float)
    m = np.asarray(monetary, dtype=float)
    keep = (x > 0) & (m > 0)
    x, m = x[keep], m[keep]
    scale = _scale(m)
    m_scaled = m / scale

    def objective(log_params: np.ndarray) -> float:
        p, q, v = np.exp(log_params)
        value = -float(gamma_gamma_log_likelihood(GammaGammaParams(p, q, v), x, m_scaled).mean())
        return value if np.isfinite(value) else 1e300

    result = _minimise(objective, np.log([1.0, 2.0, 1.0]), 3)
    p, q, v = np.exp(result.x)
    params = GammaGammaParams(float(p), float(q), float(v * scale))
    log_likelihood = float(gamma_gamma_log_likelihood(params, x, m).sum())
    return FitResult(
        params, log_likelihood, bool(result.success), int(result.nit), int(x.size), result.message
    )


def conditional_expected_spend(
    params: GammaGammaParams, frequency: np.ndarray, monetary: np.ndarray
) -> np.ndarray:
    """E[M | x, m̄]: a weighted mean of the population mean p·v/(q−1) and the customer's m̄."""
    p, q, v = params.p, params.q, params.v
    x = np.asarray(frequency, dtype=float)
    m = np.asarray(monetary, dtype=float)
    return p * (v + x * m) / (p * x + q - 1)


def population_mean_spend(params: GammaGammaParams) -> float:
    """E[M] = p·v / (q − 1), finite only for q > 1."""
    return params.p * params.v / (params.q - 1) if params.q > 1 else float("nan")


# ---------------------------------------------------------------- value


def predicted_value(
    bgnbd: BgNbdParams,
    spend: np.ndarray,
    frequency: np.ndarray,
    recency: np.ndarray,
    T: np.ndarray,
    *,
    horizon_weeks: float,
    annual_discount_rate: float = 0.0,
    steps: int = 13,
) -> tuple[np.ndarray, np.ndarray]:
    """(expected purchases over the horizon, predicted value over the horizon).

    Value = expected spend × expected purchases. With a discount rate the horizon is cut
    into ``steps`` equal slices and the purchases expected in each slice are discounted
    to today from the slice's midpoint: Σ ΔE[Y] · spend / (1 + rate)^(mid / 52).
    """
    purchases = conditional_expected_purchases(bgnbd, horizon_weeks, frequency, recency, T)
    if annual_discount_rate <= 0:
        return purchases, purchases * spend
    edges = np.linspace(0.0, horizon_weeks, steps + 1)
    discounted = np.zeros_like(purchases)
    previous = np.zeros_like(purchases)
    for start, end in itertools.pairwise(edges):
        cumulative = (
            purchases
            if end == horizon_weeks
            else conditional_expected_purchases(bgnbd, end, frequency, recency, T)
        )
        factor = (1 + annual_discount_rate) ** (-((start + end) / 2) / 52.0)
        discounted += (cumulative - previous) * factor
        previous = cumulative
    return purchases, discounted * spend
