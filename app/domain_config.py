"""The one mapping from settings to the plain configuration domain rules take."""

from __future__ import annotations

import datetime as dt

from app.clv_config import clv_config
from app.settings import Settings
from resolvers.config import (
    CreditThresholds,
    DomainConfig,
    EngagementThresholds,
    RelationshipWeights,
)


def domain_config(settings: Settings) -> DomainConfig:
    return DomainConfig(
        timezone=settings.timezone,
        credit=CreditThresholds(
            warning_percent=settings.credit_warning_percent,
            critical_percent=settings.credit_critical_percent,
        ),
        quotation_validity_days=settings.quotation_validity_days,
        payment_terms_days=settings.payment_terms_days,
        page_size_default=settings.page_size_default,
        page_size_max=settings.page_size_max,
        follow_up_default_delay=dt.timedelta(hours=settings.follow_up_default_delay_hours),
        quotation_follow_up_days=settings.quotation_follow_up_days,
        max_upload_bytes=settings.max_upload_bytes,
        import_batch_rows=settings.import_batch_rows,
        engagement=EngagementThresholds(
            highly=settings.engagement_highly_engaged_from,
            moderately=settings.engagement_moderately_engaged_from,
        ),
        relationship_weights=RelationshipWeights(
            interactions=settings.relationship_weight_interactions,
            quotations=settings.relationship_weight_quotations,
            purchases=settings.relationship_weight_purchases,
            engagement=settings.relationship_weight_engagement,
            risk=settings.relationship_weight_risk,
        ),
        clv=clv_config(settings),
    )
