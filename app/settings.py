"""Configuration from the environment (prefix ``CRM_``), in one validated object."""

from __future__ import annotations

import re
import secrets
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

VAR_DIR = Path("var")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        "development", description="production refuses to start without an explicit secret key"
    )
    database_url: str = Field(
        f"sqlite+aiosqlite:///{VAR_DIR}/crm.sqlite3",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///path or postgresql+asyncpg://…",
    )
    database_pool_size: int = 10
    secret_key: str | None = Field(None, description="signs tokens and download links")
    public_base_url: str = "http://127.0.0.1:8000"
    business_timezone: str = "Asia/Kolkata"
    cors_origins: list[str] = Field(
        default_factory=list,
        description="browser origins allowed to call the API, as a JSON list: "
        '["https://crm.example.com"]; "*" allows any',
    )
    data_dir: Path = VAR_DIR

    token_ttl_seconds: int = 12 * 3600
    login_failures_before_delay: int = 3
    login_max_delay_seconds: float = 5.0

    page_size_default: int = 20
    page_size_max: int = 100

    credit_warning_percent: Decimal = Decimal("75")
    credit_critical_percent: Decimal = Decimal("90")

    quotation_validity_days: int = 30
    payment_terms_days: int = 30
    follow_up_default_delay_hours: int = Field(
        48, description="when an interaction's follow-up task is due if no date is given"
    )
    quotation_follow_up_days: int = Field(
        7, description="days a quotation may stay SENT before a follow-up task is opened"
    )

    engagement_highly_engaged_from: int = Field(60, description="lowest HIGHLY_ENGAGED score")
    engagement_moderately_engaged_from: int = Field(
        25, description="lowest MODERATELY_ENGAGED score"
    )
    relationship_weight_interactions: Decimal = Decimal("0.25")
    relationship_weight_quotations: Decimal = Decimal("0.15")
    relationship_weight_purchases: Decimal = Decimal("0.25")
    relationship_weight_engagement: Decimal = Decimal("0.15")
    relationship_weight_risk: Decimal = Decimal("0.20")

    clv_horizon_weeks: int = Field(52, ge=1, le=520, description="lifetime-value horizon")
    clv_annual_discount_rate: float = Field(
        0.0, ge=0, lt=1, description="discounts predicted value; 0 = undiscounted"
    )
    clv_min_repeat_customers: int = Field(
        30, ge=1, description="fewer repeat customers than this: heuristic instead of a fit"
    )
    clv_risk_medium_from: float = Field(30.0, description="lowest MEDIUM lifetime-value risk")
    clv_risk_high_from: float = Field(60.0, description="lowest HIGH lifetime-value risk")

    log_level: str = "INFO"

    download_link_ttl_seconds: int = Field(3600, description="lifetime of a signed download link")
    max_upload_bytes: int = 25 * 1024 * 1024

    export_wait_seconds: float = Field(
        3.0, ge=0, le=30, description="how long exportCustomers waits for a small export's url"
    )
    import_batch_rows: int = Field(
        2000, ge=50, le=50000, description="rows an import validates and commits at a time"
    )
    job_workers: int = Field(2, description="jobs one server process runs at once")
    job_poll_seconds: float = 1.0
    job_heartbeat_seconds: float = 2.0
    job_stale_after_seconds: float = Field(
        20.0, description="a running job whose heartbeat is older than this is marked FAILED"
    )
    scheduler_enabled: bool = True
    subscription_recheck_seconds: float = Field(
        5.0, description="how often a live subscription re-checks that its user is still active"
    )
    job_modules: list[str] = Field(
        default_factory=list, description="extra modules that register job kinds (tests, plugins)"
    )

    # ---- abuse limits (app/request_limits.py, app/rate_limits.py, schema/limits.py)
    graphql_explorer_enabled: bool | None = Field(
        None,
        description="introspection, GraphiQL and 'Did you mean' suggestions together; "
        "unset: on, except with environment=production",
    )
    query_max_depth: int = Field(15, ge=1, description="deepest nesting of fields")
    query_max_aliases: int = Field(30, ge=0, description="aliased fields in one document")
    query_max_tokens: int = Field(
        3000, ge=1, description="lexical tokens (and, separately, comments) in one document"
    )
    query_max_cost: int = Field(
        50_000, ge=1, description="largest computed cost (fields × page sizes) of a document"
    )
    query_list_cost_factor: int = Field(
        10, ge=1, description="assumed length of a list field that has no first/last argument"
    )
    query_max_mutations: int = Field(10, ge=1, description="mutation fields in one operation")
    graphql_batch_max_operations: int = Field(
        0, ge=0, description="operations in one batched (JSON array) request; 0 = batching off"
    )
    request_timeout_seconds: float = Field(
        30.0, gt=0, description="an operation still running after this is cancelled"
    )
    database_statement_timeout_seconds: float = Field(
        60.0, ge=0, description="PostgreSQL statement_timeout on every connection; 0 = none"
    )
    max_request_body_bytes: int | None = Field(
        None, description="largest request body; unset: max_upload_bytes + 1 MiB"
    )
    rate_limit_user_per_minute: float = Field(
        1200, ge=0, description="sustained requests per signed-in user; 0 = unlimited"
    )
    rate_limit_user_burst: int = Field(300, ge=1, description="requests a user may burst")
    rate_limit_address_per_minute: float = Field(
        3000, ge=0, description="sustained requests per client address; 0 = unlimited"
    )
    rate_limit_address_burst: int = Field(600, ge=1, description="requests an address may burst")

    @property
    def explorer_enabled(self) -> bool:
        if self.graphql_explorer_enabled is None:
            return self.environment != "production"
        return self.graphql_explorer_enabled

    @property
    def request_body_limit(self) -> int:
        return self.max_request_body_bytes or self.max_upload_bytes + 1024 * 1024

    @model_validator(mode="after")
    def _body_limit_above_upload_limit(self) -> Settings:
        if self.request_body_limit <= self.max_upload_bytes:
            raise ValueError("CRM_MAX_REQUEST_BODY_BYTES must exceed CRM_MAX_UPLOAD_BYTES")
        return self

    @property
    def storage_dir(self) -> Path:
        return self.data_dir / "files"

    @field_validator("business_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        ZoneInfo(value)
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins_are_scheme_and_host(cls, origins: list[str]) -> list[str]:
        """Browsers send ``Origin: https://host[:port]``; a path or trailing slash would never
        match, so it is refused here rather than failing silently in every browser."""
        for origin in origins:
            if origin != "*" and not re.fullmatch(r"https?://[^/\s]+", origin):
                raise ValueError(f"CRM_CORS_ORIGINS: {origin!r} is not scheme://host[:port]")
        return origins

    @model_validator(mode="after")
    def _relationship_weights_sum_to_one(self) -> Settings:
        weights = (
            self.relationship_weight_interactions,
            self.relationship_weight_quotations,
            self.relationship_weight_purchases,
            self.relationship_weight_engagement,
            self.relationship_weight_risk,
        )
        if any(w < 0 for w in weights) or sum(weights) != 1:
            raise ValueError("CRM_RELATIONSHIP_WEIGHT_* must be non-negative and sum to 1")
        if not (
            0
            <= self.engagement_moderately_engaged_from
            <= self.engagement_highly_engaged_from
            <= 100
        ):
            raise ValueError("engagement thresholds need 0 <= moderately <= highly <= 100")
        return self

    @model_validator(mode="after")
    def _secret_required_in_production(self) -> Settings:
        if self.environment == "production" and not self.secret_key:
            raise ValueError("CRM_SECRET_KEY must be set when CRM_ENVIRONMENT=production")
        return self

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.business_timezone)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def resolved_secret_key(self) -> str:
        """The configured secret, or a local one generated once and kept under the data dir."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
