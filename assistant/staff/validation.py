"""Checking a guide's YAML text against the guide schema, with one problem per field."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import yaml
from pydantic import ValidationError

from assistant.knowledge.schema import ServiceGuide


@dataclass(frozen=True)
class FieldProblem:
    """One problem: the field path (`fees.ko`, `faqs.0.answer`) and why."""

    field: str
    reason: str


def check_guide_text(text: str, service_id: str) -> tuple[ServiceGuide | None, list[FieldProblem]]:
    """The validated guide, or None and the problems (YAML syntax, schema, id/file-name mismatch)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        return None, [FieldProblem("(yaml)", f"{where}{getattr(exc, 'problem', None) or exc}")]
    if not isinstance(data, dict):
        return None, [FieldProblem("(yaml)", "must be a mapping of fields")]
    try:
        guide = ServiceGuide.model_validate(data)
    except ValidationError as exc:
        return None, [
            FieldProblem(".".join(str(p) for p in err["loc"]) or "(guide)", err["msg"]) for err in exc.errors()
        ]
    if guide.id != service_id:
        return None, [FieldProblem("id", f"'{guide.id}' must stay '{service_id}' (the guide's file name)")]
    return guide, []


def readable_diff(old: str, new: str, old_label: str, new_label: str) -> str:
    """A unified diff of two YAML texts, line by line."""
    return "".join(difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), fromfile=old_label, tofile=new_label, n=2,
    ))


def guide_to_yaml(data: dict) -> str:
    """YAML text of a guide mapping, Korean kept readable (not escaped)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
