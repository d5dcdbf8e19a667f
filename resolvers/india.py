"""Indian states and union territories, with their codes, so every spelling maps to one."""

from __future__ import annotations

import re

STATES: dict[str, str] = {
    "AN": "Andaman and Nicobar Islands",
    "AP": "Andhra Pradesh",
    "AR": "Arunachal Pradesh",
    "AS": "Assam",
    "BR": "Bihar",
    "CH": "Chandigarh",
    "CG": "Chhattisgarh",
    "DH": "Dadra and Nagar Haveli and Daman and Diu",
    "DL": "Delhi",
    "GA": "Goa",
    "GJ": "Gujarat",
    "HR": "Haryana",
    "HP": "Himachal Pradesh",
    "JK": "Jammu and Kashmir",
    "JH": "Jharkhand",
    "KA": "Karnataka",
    "KL": "Kerala",
    "LA": "Ladakh",
    "LD": "Lakshadweep",
    "MP": "Madhya Pradesh",
    "MH": "Maharashtra",
    "MN": "Manipur",
    "ML": "Meghalaya",
    "MZ": "Mizoram",
    "NL": "Nagaland",
    "OD": "Odisha",
    "PY": "Puducherry",
    "PB": "Punjab",
    "RJ": "Rajasthan",
    "SK": "Sikkim",
    "TN": "Tamil Nadu",
    "TS": "Telangana",
    "TR": "Tripura",
    "UP": "Uttar Pradesh",
    "UK": "Uttarakhand",
    "WB": "West Bengal",
}

_ALIASES = {
    "orissa": "Odisha",
    "or": "Odisha",
    "tg": "Telangana",
    "ua": "Uttarakhand",
    "uttaranchal": "Uttarakhand",
    "ct": "Chhattisgarh",
    "pondicherry": "Puducherry",
    "new delhi": "Delhi",
    "nct of delhi": "Delhi",
    "bombay": "Maharashtra",
    "j&k": "Jammu and Kashmir",
    "dn": "Dadra and Nagar Haveli and Daman and Diu",
    "dd": "Dadra and Nagar Haveli and Daman and Diu",
}


def _key(text: str) -> str:
    return re.sub(r"[^a-z&]+", " ", text.lower().replace("&", " and ")).strip()


_LOOKUP: dict[str, str] = {}
for _code, _name in STATES.items():
    _LOOKUP[_code.lower()] = _name
    _LOOKUP[_key(_name)] = _name
for _alias, _name in _ALIASES.items():
    _LOOKUP[_key(_alias)] = _name
    _LOOKUP[_alias] = _name


# The same names with spaces left out, as spreadsheets often have them ("Tamilnadu").
_JOINED: dict[str, str] = {key.replace(" ", ""): name for key, name in _LOOKUP.items()}


def canonical_state(value: str) -> str | None:
    """The one spelling of an Indian state or territory, or None if it is not one."""
    key = _key(value)
    return (
        _LOOKUP.get(value.strip().lower())
        or _LOOKUP.get(key)
        or (_JOINED.get(key.replace(" ", "")) if len(key) > 3 else None)
    )
