"""Plain Indian numbers skip phonenumbers.parse; the verdict and spelling stay the library's."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from resolvers.contact_validation import normalise_phone
from resolvers.errors import ValidationFailed

_FORMS = (
    lambda d: d,
    lambda d: "+91" + d,
    lambda d: "+91 " + d,
    lambda d: "+91-" + d,
    lambda d: f"{d[:5]} {d[5:]}",
    lambda d: f"+91 {d[:5]} {d[5:]}",
    lambda d: f"{d[:3]}-{d[3:6]}-{d[6:]}",
    lambda d: d[:9],
    lambda d: d + "1",
    lambda d: f" {d} ",
    lambda d: "+91  " + d,
    lambda d: "0" + d,
)


def _reference(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "IN")
    except phonenumbers.NumberParseException:
        return "refused"
    if not phonenumbers.is_valid_number(number):
        return "refused"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _ours(value: str) -> str:
    try:
        return normalise_phone(value) or "refused"
    except ValidationFailed:
        return "refused"


@pytest.mark.parametrize("seed", range(3))
def test_the_fast_path_agrees_with_phonenumbers_on_every_sample(seed):
    rng = random.Random(seed)
    samples = []
    for _ in range(3000):
        digits = "".join(rng.choice("0123456789") for _ in range(10))
        if rng.random() < 0.8:
            digits = rng.choice("6789") + digits[1:]
        samples.append(rng.choice(_FORMS)(digits))
    assert [(s, _ours(s)) for s in samples if _ours(s) != _reference(s)] == []
