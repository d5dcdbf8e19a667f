"""What quotations and orders share: priced lines and the columns of their status history.

Money follows ``resolvers.money``: each (product, discount) unit price comes from
``discounted_unit_price`` (precomputed in the catalogue); a line total is unit price ×
quantity (exactly ``money.line_total``, no rounding is needed for an integer quantity of a
2-decimal price), held in integer paise; a document total is the sum of its lines
(``document_total``). Integer paise keep the vectorised sums exact.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scripts.demo_data.catalogue import Catalogue
from scripts.demo_data.encoders import Encoder
from scripts.demo_data.probabilities import QTY_MAX, QTY_P
from scripts.demo_data.sampling import choose, positions

LINE_COLUMNS = (
    "id", "position", "quantity", "list_price", "unit_price", "discount_percent", "line_total",
    "product_id", "pricing_rule_id",
)  # fmt: skip
CHANGE_COLUMNS = ("id", "from_status", "to_status", "note", "changed_at", "changed_by_id")


def draw_lines(
    rng: np.random.Generator, doc_type: np.ndarray, catalogue: Catalogue
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """1-3 lines per document: returns lines per document and the line arrays."""
    per_doc = rng.choice(np.array([1, 2, 3]), len(doc_type), p=[0.35, 0.30, 0.35])
    doc = np.repeat(np.arange(len(doc_type)), per_doc)
    position = positions(per_doc) + 1
    ltype = doc_type[doc]
    product = choose(rng, ltype, catalogue.product_cum)
    for _ in range(100):  # a product appears once per document: redraw repeats
        key = doc * 1000 + product
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        dup = np.zeros(len(key), dtype=bool)
        dup[order[1:]] = sorted_key[1:] == sorted_key[:-1]
        if not dup.any():
            break
        product[dup] = choose(rng, ltype[dup], catalogue.product_cum)
    category = catalogue.category[product]
    quantity = np.minimum(rng.geometric(QTY_P[category]), QTY_MAX[category])
    discount = choose(rng, ltype, catalogue.discount_cum)
    unit = catalogue.unit_paise[product, discount]
    return per_doc, {
        "doc": doc,
        "position": position,
        "product": product,
        "quantity": quantity,
        "discount": discount,
        "unit": unit,
        "total": unit * quantity,
    }


def line_rows(
    ids: np.ndarray,
    lines: dict[str, np.ndarray],
    parent: np.ndarray,
    catalogue: Catalogue,
    enc: Encoder,
) -> list[tuple[Any, ...]]:
    """Rows in ``LINE_COLUMNS`` order followed by the parent document's id."""
    n = len(ids)
    return list(
        zip(
            ids.tolist(),
            lines["position"].tolist(),
            lines["quantity"].tolist(),
            enc.money_lookup(catalogue.list_paise, lines["product"]),
            enc.money_lookup(
                catalogue.unit_paise.ravel(), lines["product"] * 5 + lines["discount"]
            ),
            enc.percent_lookup(catalogue.discount_hundredths, lines["discount"]),
            enc.money(lines["total"]),
            catalogue.ids[lines["product"]].tolist(),
            [None] * n,
            parent.tolist(),
            strict=True,
        )
    )
