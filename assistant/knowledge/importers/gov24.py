"""Import the Government24 public-service list (data.go.kr 15113968) as one guide per service."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from assistant.knowledge.importers.common import ImportReport, write_guides
from assistant.knowledge.schema import LocalizedText, Section, ServiceGuide

REQUIRED_COLUMNS = {"service_id", "title", "purpose_summary"}
EXTRA_SECTIONS = {
    "support_desc": "지원내용",
    "apply_period": "신청기한",
    "cond_target": "지원대상 조건",
    "cond_selection": "선정기준",
    "cond_age": "연령 조건",
    "cond_income": "소득 조건",
    "cond_residence": "거주 조건",
    "cond_eligibility": "자격 조건",
}
SOURCE = "gov24: 대한민국 공공서비스(혜택) 정보 (data.go.kr 15113968)"


def _text(value: str | None) -> LocalizedText | None:
    value = (value or "").strip()
    return LocalizedText(ko=value) if value else None


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of the CSV.

    Raises:
        ValueError: not a CSV with the expected columns.
    """
    csv.field_size_limit(sys.maxsize)  # the raw API JSON column is long
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            columns = set(reader.fieldnames or [])
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ValueError(f"{path}: not a UTF-8 CSV ({exc})") from exc
    missing = REQUIRED_COLUMNS - columns
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    return rows


def build_guide(row: dict[str, str]) -> ServiceGuide:
    """One guide from one service row."""
    summary = _text(row.get("purpose_summary")) or _text(row["title"])
    assert summary is not None
    sections = [
        Section(title=LocalizedText(ko=title), text=text)
        for column, title in EXTRA_SECTIONS.items()
        if (text := _text(row.get(column))) is not None
    ]
    url = (row.get("detail_url") or "").strip()
    return ServiceGuide(
        id=f"gov24-{row['service_id'].strip().lower()}",
        names=LocalizedText(ko=row["title"].strip()),
        agency=_text(row.get("org_name")),
        category="other",
        summary=summary,
        eligibility=_text(row.get("target_desc")),
        how_to_apply={"online": url or None, "offices": _text(row.get("apply_method"))},
        contact=_text(row.get("phone")),
        sections=sections,
        url=url if url.startswith(("http://", "https://")) else None,
        source=SOURCE,
    )


def import_gov24(path: Path, out_dir: Path) -> ImportReport:
    """Read the CSV at `path` and write one guide per service into `out_dir`."""
    guides = []
    report = ImportReport()
    for number, row in enumerate(read_rows(path), start=2):
        try:
            guides.append(build_guide(row))
        except (ValueError, KeyError) as exc:
            report.skipped.append(f"row {number}: {exc}")
    written = write_guides(guides, out_dir)
    report.written = written.written
    return report
