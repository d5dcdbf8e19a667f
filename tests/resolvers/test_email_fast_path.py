"""The importer's cached email check gives exactly email-validator's verdict and spelling."""

from __future__ import annotations

import random
import string

import pytest
from email_validator import EmailNotValidError, validate_email

from resolvers.contact_validation import normalise_email
from resolvers.errors import ValidationFailed

_ALPHABET = string.ascii_letters + string.digits + ".-_+@ '!#äé\"()[]"
_DOMAINS = ["@x.in", "@Ex.COM", "@münchen.de", "@a..b", "", "@x.y.z", "@localhost", "@test"]


def _samples() -> list[str]:
    rng = random.Random(20261124)
    fixed = ["a..b@x.co", "a.@x.co", ".a@x.co", "a b@x.in", "a" * 64 + "@x.co", "a" * 65 + "@x.co"]
    made = [
        "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 12))) + rng.choice(_DOMAINS)
        for _ in range(3000)
    ]
    return [s for s in fixed + made if s.strip()]


def _verdict(check, text: str) -> str:
    try:
        return check(text)
    except (EmailNotValidError, ValidationFailed):
        return "refused"


@pytest.mark.parametrize("chunk", range(3))
def test_the_fast_path_agrees_with_email_validator_on_every_sample(chunk):
    samples = _samples()[chunk::3]

    def reference(text: str) -> str:
        return validate_email(text.strip(), check_deliverability=False).normalized.lower()

    disagreements = [
        (s, _verdict(reference, s), _verdict(normalise_email, s))
        for s in samples
        if _verdict(reference, s) != _verdict(normalise_email, s)
    ]
    assert disagreements == []
