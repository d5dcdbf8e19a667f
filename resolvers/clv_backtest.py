"""Backtest the lifetime-value model on any transaction file (``crm clv-backtest``).

Fits on the calibration period (up to and including the calibration end date) with exactly
the functions the server uses, and, given a holdout end, compares the repeat purchase days
each calibration customer was expected to make in the holdout with those they made.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from resolvers.clv_data import PurchaseDays, summarise
from resolvers.clv_fitting import fit_models
from resolvers.clv_model import conditional_expected_purchases
from resolvers.clv_scoring import ClvConfig, score


class BacktestInputError(ValueError):
    """The transaction file or the options cannot be used; the message says why."""


@dataclass(frozen=True)
class Columns:
    customer: str = "customer_id"
    date: str = "date"
    amount: str = "amount"


def read_transactions(path: Path, columns: Columns) -> PurchaseDays:
    """One row per purchase → purchase days (several purchases on one day count once)."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise BacktestInputError(f"cannot read {path}: {exc}") from exc
    missing = [c for c in (columns.customer, columns.date, columns.amount) if c not in frame]
    if missing:
        raise BacktestInputError(f"missing column(s) {', '.join(missing)}; found {list(frame)}")
    days = _parse_dates(frame[columns.date])
    amounts = pd.to_numeric(frame[columns.amount].str.strip(), errors="coerce")
    if amounts.isna().any():
        row = int(amounts.isna().to_numpy().argmax()) + 2
        raise BacktestInputError(f"line {row}: amount is not a number")
    codes, _ = pd.factorize(frame[columns.customer].str.strip())
    grouped = (
        pd.DataFrame({"customer": codes, "day": days, "amount": amounts})
        .groupby(["customer", "day"], sort=True)["amount"]
        .agg(["sum", "count"])
        .reset_index()
    )
    return PurchaseDays(
        grouped["customer"].to_numpy(np.int64),
        grouped["day"].to_numpy(np.int64),
        grouped["sum"].to_numpy(float),
        grouped["count"].to_numpy(np.int64),
    )


def _parse_dates(values: pd.Series) -> np.ndarray:
    """ISO dates (times ignored) or the compact YYYYMMDD of many public data sets."""
    text = values.str.strip()
    for fmt in ("ISO8601", "%Y%m%d"):
        try:
            parsed = pd.to_datetime(text, format=fmt)
            break
        except (ValueError, TypeError):
            continue
    else:
        raise BacktestInputError("dates must be YYYY-MM-DD (or YYYYMMDD)")
    return np.fromiter((d.toordinal() for d in parsed.dt.date), dtype=np.int64, count=len(parsed))


def run_backtest(
    data: PurchaseDays,
    *,
    calibration_end: dt.date,
    holdout_end: dt.date | None = None,
    config: ClvConfig | None = None,
) -> dict:
    """Fit on the calibration period, then score the holdout; a JSON-ready dict."""
    config = config or ClvConfig()
    if holdout_end is not None and holdout_end <= calibration_end:
        raise BacktestInputError("the holdout end must be after the calibration end")
    rfm = summarise(data, calibration_end)
    if len(rfm) == 0:
        raise BacktestInputError("no purchases on or before the calibration end")
    fit = fit_models(rfm, config)
    report: dict = {
        "calibration_end": calibration_end.isoformat(),
        "customers": len(rfm),
        "repeat_customers": fit.repeat_customers,
        "model": "heuristic-rhythm-v1" if fit.params is None else "bgnbd-gg-v1",
        "fallback_reason": fit.fallback_reason,
        "bgnbd": _params(fit.bgnbd),
        "gamma_gamma": _params(fit.gamma_gamma),
        "log_likelihoods": {
            "bgnbd": fit.bgnbd.log_likelihood if fit.bgnbd else None,
            "gamma_gamma": fit.gamma_gamma.log_likelihood if fit.gamma_gamma else None,
        },
        "converged": {
            "bgnbd": fit.bgnbd.converged if fit.bgnbd else None,
            "gamma_gamma": fit.gamma_gamma.converged if fit.gamma_gamma else None,
        },
        "holdout": None,
    }
    if holdout_end is None:
        return report
    weeks = (holdout_end.toordinal() - calibration_end.toordinal()) / 7.0
    if fit.params is not None:
        predicted = conditional_expected_purchases(
            fit.params.bgnbd, weeks, rfm.frequency, rfm.recency, rfm.T
        )
    else:
        predicted = score(rfm, None, ClvConfig(horizon_weeks=weeks)).expected_purchases  # type: ignore[arg-type]
    actual = _holdout_purchase_days(data, rfm.customer_ids, calibration_end, holdout_end)
    error = predicted - actual
    report["holdout"] = {
        "end": holdout_end.isoformat(),
        "weeks": weeks,
        "predicted_total": float(predicted.sum()),
        "actual_total": int(actual.sum()),
        "total_error_percent": _percent(float(predicted.sum()), float(actual.sum())),
        "mean_absolute_error": float(np.abs(error).mean()),
        "root_mean_squared_error": float(math.sqrt(float((error**2).mean()))),
        "correlation": _correlation(predicted, actual),
    }
    return report


def _holdout_purchase_days(
    data: PurchaseDays, customers: np.ndarray, start: dt.date, end: dt.date
) -> np.ndarray:
    """Purchase days in (start, end] per calibration customer, aligned with ``customers``."""
    window = (data.days > start.toordinal()) & (data.days <= end.toordinal())
    ids = data.customer_ids[window]
    ids = ids[np.isin(ids, customers)]
    positions = np.searchsorted(customers, ids)
    return np.bincount(positions, minlength=customers.size).astype(float)


def _params(fit) -> dict | None:  # type: ignore[no-untyped-def]
    if fit is None:
        return None
    return {name: float(value) for name, value in vars(fit.params).items()}


def _percent(predicted: float, actual: float) -> float | None:
    return None if actual == 0 else 100.0 * (predicted - actual) / actual


def _correlation(predicted: np.ndarray, actual: np.ndarray) -> float | None:
    if predicted.size < 2 or predicted.std() == 0 or actual.std() == 0:
        return None
    return float(np.corrcoef(predicted, actual)[0, 1])


def format_report(report: dict) -> str:
    """The human-readable form printed without ``--json``."""
    lines = [
        f"calibration end: {report['calibration_end']}  customers: {report['customers']}  "
        f"repeat customers: {report['repeat_customers']}  model: {report['model']}",
    ]
    if report["fallback_reason"]:
        lines.append(f"fallback: {report['fallback_reason']}")
    for key, names in (("bgnbd", "r alpha a b"), ("gamma_gamma", "p q v")):
        values = report[key]
        shown = (
            "not fitted"
            if values is None
            else "  ".join(f"{n}={values[n]:.6g}" for n in names.split())
        )
        ll = report["log_likelihoods"][key]
        converged = report["converged"][key]
        tail = "" if ll is None else f"  log-likelihood={ll:.4f}  converged={converged}"
        lines.append(f"{key}: {shown}{tail}")
    holdout = report["holdout"]
    if holdout:
        lines.append(
            f"holdout to {holdout['end']} ({holdout['weeks']:.2f} weeks): repeat purchases "
            f"predicted {holdout['predicted_total']:.1f}, actual {holdout['actual_total']}"
            + (
                ""
                if holdout["total_error_percent"] is None
                else f" ({holdout['total_error_percent']:+.2f} %)"
            )
        )
        lines.append(
            f"per customer: MAE {holdout['mean_absolute_error']:.4f}  "
            f"RMSE {holdout['root_mean_squared_error']:.4f}  "
            f"correlation {holdout['correlation']}"
        )
    return "\n".join(lines)
