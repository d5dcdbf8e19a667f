"""The summary sheet of an XLSX export: totals, two small tables and a chart of each.

Written last, once every row has been seen; in constant-memory mode rows go down the
sheet in order, so the tables are laid out top to bottom and the charts sit beside them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from resolvers.export_summary import VALUE_DEFINITION, ExportSummary, Group, label

MONEY_FORMAT = '"₹"#,##0.00'
SHEET = "Summary"


def _table(
    sheet: Any,
    first_row: int,
    title: str,
    rows: list[tuple[str, str, Group]],
    formats: dict[str, Any],
) -> int:
    """Header, then (name, kind, group) rows; the row after the table."""
    for col, heading in enumerate((title, "Customers", "Value", "Kind")):
        if heading != "Kind" or any(kind for _, kind, _ in rows):
            sheet.write_string(first_row, col, heading, formats["header"])
    row = first_row + 1
    for name, kind, group in rows:
        sheet.write_string(row, 0, name)
        sheet.write_number(row, 1, group.customers, formats["integer"])
        sheet.write_number(row, 2, float(group.value), formats["money"])
        if kind:
            sheet.write_string(row, 3, kind)
        row += 1
    return row


def _chart(book: Any, title: str, first_row: int, count: int, column: int, kind: str) -> Any:
    chart = book.add_chart({"type": kind})
    name_range = [SHEET, first_row + 1, 0, first_row + count, 0]
    chart.add_series(
        {
            "name": title,
            "categories": name_range,
            "values": [SHEET, first_row + 1, column, first_row + count, column],
            "data_labels": {"value": count <= 12},
        }
    )
    chart.set_title({"name": title})
    chart.set_legend({"none": True})
    return chart


def write_summary_sheet(
    book: Any, sheet: Any, summary: ExportSummary, *, generated_at: dt.datetime
) -> None:
    formats = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "header": book.add_format(
            {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78", "border": 1}
        ),
        "money": book.add_format({"num_format": MONEY_FORMAT}),
        "integer": book.add_format({"num_format": "#,##0"}),
        "bold_money": book.add_format({"num_format": MONEY_FORMAT, "bold": True}),
        "note": book.add_format({"italic": True, "font_color": "#595959"}),
    }
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 2, 20)
    sheet.set_column(3, 3, 16)
    sheet.write_string(0, 0, "Customer export summary", formats["title"])
    sheet.write_string(1, 0, "Generated")
    sheet.write_string(1, 1, generated_at.strftime("%Y-%m-%d %H:%M %Z").strip())
    sheet.write_string(2, 0, "Customers")
    sheet.write_number(2, 1, summary.customers, formats["integer"])
    sheet.write_string(3, 0, "Value")
    sheet.write_number(3, 2, float(summary.value), formats["bold_money"])
    sheet.write_string(4, 0, VALUE_DEFINITION, formats["note"])

    types = sorted(summary.by_business_type.items(), key=lambda item: -item[1].value)
    type_rows = [(label(name), "", group) for name, group in types]
    types_at = 6
    after_types = _table(sheet, types_at, "Business Type", type_rows, formats)
    segments = sorted(summary.by_segment.items(), key=lambda item: (item[0][0], item[0][1]))
    segment_rows = [(name, label(kind), group) for (kind, name), group in segments]
    segments_at = max(after_types + 1, types_at + 17)  # below the first chart
    _table(sheet, segments_at, "Segment", segment_rows, formats)

    if type_rows:
        chart = _chart(book, "Value by business type", types_at, len(type_rows), 2, "column")
        sheet.insert_chart(types_at, 5, chart)
    if segment_rows:
        chart = _chart(book, "Customers by segment", segments_at, len(segment_rows), 1, "bar")
        chart.set_size({"height": max(288, 20 * len(segment_rows) + 80)})
        sheet.insert_chart(segments_at, 5, chart)
