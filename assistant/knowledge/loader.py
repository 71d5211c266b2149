"""Loading and validating guide files, with errors that name the file, the field and the reason."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.knowledge.schema import ServiceGuide

GUIDE_SUFFIXES = (".yml", ".yaml")


class GuideValidationError(ValueError):
    """A guide file that cannot be used; `problems` holds (field, reason) pairs."""

    def __init__(self, path: Path, problems: list[tuple[str, str]]) -> None:
        self.path = path
        self.problems = problems
        lines = "; ".join(f"{field}: {reason}" for field, reason in problems)
        super().__init__(f"{path}: {lines}")


def guide_files(folder: Path) -> list[Path]:
    """Guide files of a knowledge-base folder, sorted; README and hidden files are skipped."""
    return sorted(
        p for p in folder.iterdir()
        if p.suffix in GUIDE_SUFFIXES and p.is_file() and not p.name.startswith((".", "_"))
    )


def load_guide(path: Path) -> ServiceGuide:
    """Parse and validate one guide file.

    Raises:
        GuideValidationError: the YAML is malformed, or a field is missing or invalid.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise GuideValidationError(path, [("(file)", f"not valid UTF-8 YAML: {exc}")]) from exc
    if not isinstance(data, dict):
        raise GuideValidationError(path, [("(file)", "must be a mapping of fields")])
    try:
        guide = ServiceGuide.model_validate(data)
    except ValidationError as exc:
        problems = [(".".join(str(p) for p in err["loc"]) or "(guide)", err["msg"]) for err in exc.errors()]
        raise GuideValidationError(path, problems) from exc
    if guide.id != path.stem:
        raise GuideValidationError(path, [("id", f"'{guide.id}' must equal the file name '{path.stem}'")])
    return guide


def load_guides(folder: Path) -> list[ServiceGuide]:
    """Every guide in `folder`; all invalid files are reported together."""
    guides: list[ServiceGuide] = []
    errors: list[GuideValidationError] = []
    for path in guide_files(folder):
        try:
            guides.append(load_guide(path))
        except GuideValidationError as exc:
            errors.append(exc)
    if errors:
        raise GuideValidationError(
            folder, [(str(e.path.name), str(e).split(": ", 1)[-1]) for e in errors]
        )
    _check_unique(guides)
    return guides


def _check_unique(guides: Iterable[ServiceGuide]) -> None:
    seen: set[str] = set()
    for guide in guides:
        if guide.id in seen:
            raise GuideValidationError(Path(guide.id), [("id", "appears in two files")])
        seen.add(guide.id)
