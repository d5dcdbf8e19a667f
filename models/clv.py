"""Fitted lifetime-value model parameters: one row per refit, the newest is current."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class ClvModelFit(Base):
    """BG/NBD and Gamma-Gamma parameters with what they were fitted on and how well.

    Parameters are null when the data were too thin (``fallback_reason`` says why) and the
    heuristic scored everyone instead. Time parameters (alpha) are in weeks.
    """

    __tablename__ = "clv_model_fits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    calibration_end: Mapped[dt.date] = mapped_column(Date)
    model: Mapped[str] = mapped_column(String(60))
    customer_count: Mapped[int] = mapped_column(Integer)
    repeat_customer_count: Mapped[int] = mapped_column(Integer)
    horizon_weeks: Mapped[int] = mapped_column(Integer)
    typical_rhythm_weeks: Mapped[float] = mapped_column(Float)
    bgnbd_r: Mapped[float | None] = mapped_column(Float)
    bgnbd_alpha: Mapped[float | None] = mapped_column(Float)
    bgnbd_a: Mapped[float | None] = mapped_column(Float)
    bgnbd_b: Mapped[float | None] = mapped_column(Float)
    bgnbd_log_likelihood: Mapped[float | None] = mapped_column(Float)
    bgnbd_converged: Mapped[bool | None] = mapped_column(Boolean)
    gamma_gamma_p: Mapped[float | None] = mapped_column(Float)
    gamma_gamma_q: Mapped[float | None] = mapped_column(Float)
    gamma_gamma_v: Mapped[float | None] = mapped_column(Float)
    gamma_gamma_log_likelihood: Mapped[float | None] = mapped_column(Float)
    gamma_gamma_converged: Mapped[bool | None] = mapped_column(Boolean)
    gamma_gamma_sample_size: Mapped[int | None] = mapped_column(Integer)
    fallback_reason: Mapped[str | None] = mapped_column(Text)
    fit_seconds: Mapped[float] = mapped_column(Float)
