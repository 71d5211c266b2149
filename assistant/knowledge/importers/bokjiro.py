"""Import the BOKJIRO welfare-service guide corpus: chunks grouped into one guide per 사업명.

Each source chunk stays one section, so retrieval sees the same units the source was cut into;
its 항목 (대상, 내용, 방법, 문의, 자주하는 질문 ...) decides where it goes in the guide.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from pathlib import Path
from typing import Any

from assistant.knowledge.importers.common import ImportReport, slug_id, write_guides
from assistant.knowledge.schema import Faq, LocalizedText, Section, ServiceGuide

FAQ_ITEMS = {"자주하는_질문", "자주하는 질문", "자주하는질문"}
SOURCE = "bokjiro: 나에게 힘이 되는 복지서비스 2024 (MIT, rovest/BOKJIRO_AI)"


def _text(value: str) -> LocalizedText:
    return LocalizedText(ko=value.strip())


def read_chunks(path: Path) -> list[dict[str, Any]]:
    """The corpus as a list of {"text", "metadata"}.

    Raises:
        ValueError: the file is not the expected JSON list.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not a JSON file ({exc})") from exc
    if not isinstance(data, list) or not all(isinstance(c, dict) and "text" in c for c in data):
        raise ValueError(f"{path}: expected a list of {{'text', 'metadata'}} chunks")
    return data


def build_guides(
    chunks: list[dict[str, Any]], questions: dict[str, list[str]] | None = None
) -> tuple[list[ServiceGuide], list[str]]:
    """Guides from chunks, in first-seen order; chunks without 사업명 are skipped and reported.

    `questions` maps a 사업명 to labelled citizen questions to attach to its guide.
    """
    grouped: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
    skipped: list[str] = []
    for chunk in chunks:
        meta = chunk.get("metadata") or {}
        name = (meta.get("사업명") or "").strip()
        if not name:
            skipped.append(f"chunk {meta.get('id', '?')}: no 사업명")
            continue
        grouped.setdefault(name, []).append(chunk)
    guides = [_guide(name, group) for name, group in grouped.items()]
    if questions:
        guides = [
            g.model_copy(update={"questions": g.questions.model_copy(update={"ko": questions.get(g.names.ko, [])})})
            for g in guides
        ]
    return guides, skipped


def _guide(name: str, chunks: list[dict[str, Any]]) -> ServiceGuide:
    summary: str | None = None
    eligibility: list[str] = []
    how: list[str] = []
    contact: list[str] = []
    faqs: list[Faq] = []
    sections: list[Section] = []
    for chunk in chunks:
        meta = chunk.get("metadata") or {}
        item = (meta.get("항목") or "").strip()
        text = chunk["text"].strip()
        if not text:
            continue
        if item in FAQ_ITEMS and meta.get("질문") and meta.get("답변"):
            faqs.append(Faq(question=_text(meta["질문"]), answer=_text(meta["답변"])))
        elif item == "내용" and summary is None:
            summary = text
        elif item == "대상":
            eligibility.append(text)
        elif item == "방법":
            how.append(text)
        elif item == "문의":
            contact.append(text)
        else:
            sections.append(Section(title=_text(item or "기타"), text=_text(text)))
    first_meta = chunks[0].get("metadata") or {}
    return ServiceGuide(
        id=slug_id("bokjiro", name),
        names=_text(name),
        category="welfare",
        summary=_text(summary or chunks[0]["text"]),
        eligibility=_text("\n".join(eligibility)) if eligibility else None,
        how_to_apply={"offices": _text("\n".join(how))} if how else None,
        contact=_text("\n".join(contact)) if contact else None,
        faqs=faqs,
        sections=sections,
        url="https://www.bokjiro.go.kr",
        source=f"{SOURCE}; {first_meta.get('대분류') or ''} > {first_meta.get('중분류') or ''}".strip(),
    )


def import_bokjiro(path: Path, out_dir: Path, questions: dict[str, list[str]] | None = None) -> ImportReport:
    """Read the corpus at `path` and write one guide per service into `out_dir`."""
    guides, skipped = build_guides(read_chunks(path), questions)
    report = write_guides(guides, out_dir)
    report.skipped.extend(skipped)
    return report
