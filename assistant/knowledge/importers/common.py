"""Writing imported guides: validated by the same schema staff guides use, one YAML file each."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.knowledge.schema import ServiceGuide


@dataclass
class ImportReport:
    """What an import wrote and what it skipped (with reasons)."""

    written: int = 0
    skipped: list[str] = field(default_factory=list)


def slug_id(prefix: str, name: str) -> str:
    """A stable ASCII id for a service known only by its Korean name."""
    return f"{prefix}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:10]}"


def write_guides(guides: Iterable[ServiceGuide], out_dir: Path) -> ImportReport:
    """Write each guide to `out_dir/<id>.yml`; the folder is created, existing files replaced."""
    out_dir.mkdir(parents=True, exist_ok=True)
    report = ImportReport()
    for guide in guides:
        data = guide.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        data = {"id": guide.id, **data}
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
        (out_dir / f"{guide.id}.yml").write_text(text, encoding="utf-8")
        report.written += 1
    return report
