"""``crm clv-backtest``: fit on a calibration period of a CSV, compare with the holdout."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
START = dt.date(2024, 1, 1)


@pytest.fixture(scope="module")
def transactions(tmp_path_factory) -> Path:
    """800 customers buying at their own Poisson rate, each possibly leaving after a purchase."""
    rng = np.random.default_rng(11)
    path = tmp_path_factory.mktemp("clv") / "transactions.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["client", "when", "value"])
        for customer in range(800):
            rate = rng.gamma(0.8, 1 / 4.0)  # purchases per week
            leave = rng.beta(1.0, 4.0)
            week = rng.uniform(0, 12)
            while week < 78:
                day = START + dt.timedelta(days=int(week * 7))
                writer.writerow([f"C{customer:04d}", day.isoformat(), f"{rng.gamma(4, 25):.2f}"])
                if week > 0 and rng.random() < leave:
                    break
                week += rng.exponential(1 / rate)
    return path


def backtest(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CRM_LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "clv-backtest", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_clv_backtest_json_reports_parameters_likelihoods_and_holdout(transactions):
    # when
    done = backtest(
        str(transactions),
        "--calibration-end", "2024-09-30",
        "--holdout-end", "2025-06-30",
        "--customer-col", "client",
        "--date-col", "when",
        "--amount-col", "value",
        "--json",
    )  # fmt: skip

    # then
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report["bgnbd"]) == {"r", "alpha", "a", "b"}
    assert set(report["gamma_gamma"]) == {"p", "q", "v"}
    assert report["log_likelihoods"]["bgnbd"] < 0
    assert report["converged"] == {"bgnbd": True, "gamma_gamma": True}
    assert report["model"] == "bgnbd-gg-v1"
    holdout = report["holdout"]
    assert holdout["weeks"] == pytest.approx(273 / 7)
    assert holdout["actual_total"] > 0
    assert abs(holdout["total_error_percent"]) < 25
    assert holdout["mean_absolute_error"] > 0 and holdout["root_mean_squared_error"] > 0


def test_clv_backtest_text_output_names_the_parameters(transactions):
    done = backtest(
        str(transactions),
        "--calibration-end", "2024-09-30",
        "--customer-col", "client", "--date-col", "when", "--amount-col", "value",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "bgnbd: r=" in done.stdout and " alpha=" in done.stdout and " b=" in done.stdout
    assert "gamma_gamma: p=" in done.stdout and "log-likelihood=" in done.stdout
    assert "holdout" not in done.stdout


def test_clv_backtest_with_a_missing_column_explains_and_fails(transactions):
    done = backtest(str(transactions), "--calibration-end", "2024-09-30")
    assert done.returncode == 2
    assert "missing column" in done.stderr
