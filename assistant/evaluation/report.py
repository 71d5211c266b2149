"""The HTML evaluation report (Jinja2) of `assistant evaluate all`, with its plots and a JSON copy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).with_name("templates")


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


class _Attr(dict):  # type: ignore[type-arg]
    """A dict whose keys read as attributes, missing ones as None (Jinja's `r.nlu.skipped`)."""

    def __getattr__(self, name: str) -> Any:
        value = self.get(name)
        return _Attr(value) if isinstance(value, dict) else value


def render(results: dict[str, Any], out_dir: Path) -> Path:
    """Write `index.html` and `results.json` into `out_dir` (plots are already there)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    html = environment.get_template("report.html.j2").render(r=_Attr(results), fmt=_fmt)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    target = out_dir / "index.html"
    target.write_text(html, encoding="utf-8")
    return target


def comparison_rows(
    figures: dict[str, dict[str, float | None]], active: dict[str, tuple[str, dict[str, float]]]
) -> list[dict[str, Any]]:
    """Side by side: `figures[kind][metric]` of this run against the active artefact's.

    Args:
        figures: e.g. `{"rasa": {"macro_f1": 0.91}, "index": {"recall_at_5": 0.97, ...}}`.
        active: `{kind: (version, metrics)}` of the active artefacts.
    """
    rows: list[dict[str, Any]] = []
    for kind, metrics in figures.items():
        version, active_metrics = active.get(kind, (None, {}))
        for metric, value in metrics.items():
            before = active_metrics.get(metric)
            delta = value - before if value is not None and before is not None else None
            rows.append({"kind": kind, "metric": metric, "candidate": value, "active": before,
                         "active_version": version, "delta": delta})
    return rows
