"""Server-side SVG charts (horizontal bars) and CSV export of the analytics figures."""

from __future__ import annotations

import csv
import io
from html import escape
from typing import Any

BAR_HEIGHT = 22
LABEL_WIDTH = 220
CHART_WIDTH = 640


def bar_chart_svg(title: str, rows: list[tuple[str, float]], unit: str = "") -> str:
    """A horizontal bar chart as a standalone SVG document (readable without colour: values are written)."""
    height = 40 + BAR_HEIGHT * max(len(rows), 1)
    top = max((value for _, value in rows), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 80
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" height="{height}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="8" y="22" font-family="sans-serif" font-size="15" font-weight="bold" fill="#1a1a1a">{escape(title)}</text>',
    ]
    if not rows:
        parts.append('<text x="8" y="52" font-family="sans-serif" font-size="13" fill="#555">자료 없음 · no data</text>')
    for i, (label, value) in enumerate(rows):
        y = 34 + i * BAR_HEIGHT
        width = max(1.0, span * value / top)
        shown = f"{value:.1%}" if unit == "%" else f"{value:g}"
        parts += [
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" font-family="sans-serif" font-size="12" '
            f'fill="#1a1a1a">{escape(label[:32])}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width:.1f}" height="{BAR_HEIGHT - 6}" fill="#1f5fa8"/>',
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 15}" font-family="sans-serif" font-size="12" '
            f'fill="#1a1a1a">{shown}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


CHARTS = {
    "conversations": ("하루 대화 수 · Conversations per day", "conversations_per_day", "day", "conversations"),
    "intents": ("의도 · Intents", "intents", "intent", "count"),
    "services": ("많이 찾은 서비스 · Most asked services", "services", "service_id", "count"),
}


def chart_for(name: str, summary: dict[str, Any]) -> str:
    """One of the named charts (conversations, intents, services, funnel) of an analytics summary.

    Raises:
        KeyError: unknown chart name.
    """
    if name == "funnel":
        rows = [(f"{f['form'].removesuffix('_form')} {step}", float(f[step]))
                for f in summary["funnel"] for step in ("started", "confirmed", "submitted")]
        return bar_chart_svg("신청서 단계 · Form funnel", rows)
    title, key, label, value = CHARTS[name]
    return bar_chart_svg(title, [(str(r[label]), float(r[value])) for r in summary[key][:20]])


def summary_csv(summary: dict[str, Any]) -> str:
    """Every figure as CSV rows: section, key, value (and a second value where there is one)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "key", "value", "value2"])
    for row in summary["conversations_per_day"]:
        writer.writerow(["conversations_per_day", row["day"], row["conversations"], row["turns"]])
    for row in summary["intents"]:
        writer.writerow(["intent", row["intent"], row["count"], ""])
    writer.writerow(["fallback_rate", "all", summary["fallback_rate"], summary["turns"]])
    for row in summary["funnel"]:
        for step in ("started", "confirmed", "submitted"):
            writer.writerow(["funnel", f"{row['form']}:{step}", row[step], ""])
    for row in summary["services"]:
        writer.writerow(["service", row["service_id"], row["count"], ""])
    return out.getvalue()
