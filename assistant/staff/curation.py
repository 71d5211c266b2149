"""Turning unanswered questions into knowledge: guide questions/aliases/FAQs and NLU training examples."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Literal

import yaml

from assistant.staff.validation import guide_to_yaml

AttachAs = Literal["question", "alias", "faq"]
NLU_EXAMPLES_FILE = Path("nlu_data") / "nlu" / "staff_examples.yml"
_nlu_lock = threading.Lock()


def add_to_guide_text(text: str, questions: list[tuple[str, str]], attach_as: AttachAs,
                      answer: dict[str, str] | None = None) -> str:
    """The guide's YAML with `questions` ((text, lang) pairs) added as asked questions, aliases or one FAQ.

    Raises:
        ValueError: an FAQ without an answer.
    """
    data = yaml.safe_load(text) or {}
    if attach_as == "faq":
        if not answer or not (answer.get("ko") or "").strip():
            raise ValueError("an FAQ needs an answer in Korean")
        first = next((q for q, lang in questions if lang == "ko"), questions[0][0])
        first_en = next((q for q, lang in questions if lang == "en"), None)
        faq = {"question": {"ko": first, **({"en": first_en} if first_en else {})},
               "answer": {"ko": answer["ko"].strip(), **({"en": answer["en"].strip()} if answer.get("en") else {})}}
        data.setdefault("faqs", []).append(faq)
        # The other wordings still help retrieval find this guide.
        questions = [(q, lang) for q, lang in questions if q not in (first, first_en)]
        attach_as = "question"
    field = "questions" if attach_as == "question" else "aliases"
    bucket = data.get(field) or {}
    for question, lang in questions:
        existing = bucket.setdefault(lang, [])
        if question not in existing:
            existing.append(question)
    if bucket:
        data[field] = bucket
    return guide_to_yaml(data)


def known_intents(domain_path: Path) -> list[str]:
    """The intents `domain.yml` declares."""
    domain = yaml.safe_load(domain_path.read_text(encoding="utf-8")) or {}
    names = []
    for item in domain.get("intents") or []:
        names.append(next(iter(item)) if isinstance(item, dict) else str(item))
    return names


def add_nlu_examples(path: Path, intent: str, texts: list[str]) -> int:
    """Append `texts` under `intent` in the staff examples file (Rasa 3 NLU format); returns how many were new.

    The file is rewritten atomically; examples already present anywhere in it are skipped.
    """
    with _nlu_lock:
        blocks: dict[str, list[str]] = {}
        if path.is_file():
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for item in data.get("nlu") or []:
                examples = [line[2:].strip() for line in str(item.get("examples", "")).splitlines()
                            if line.strip().startswith("- ")]
                blocks.setdefault(item["intent"], []).extend(examples)
        present = {e for block in blocks.values() for e in block}
        new = [t for t in dict.fromkeys(t.strip() for t in texts) if t and t not in present]
        blocks.setdefault(intent, []).extend(new)
        _write_atomically(path, _render_nlu(blocks))
        return len(new)


def _render_nlu(blocks: dict[str, list[str]]) -> str:
    lines = ['version: "3.1"', "",
             "# Examples staff added from questions the assistant could not answer (staff console).",
             "# Written by the service; retrain (`assistant train`) to use them.", "", "nlu:"]
    for intent, examples in blocks.items():
        if not examples:
            continue
        lines += [f"- intent: {intent}", "  examples: |"]
        # Rasa's example syntax reserves [ ] ( ) { } for entity annotations: strip them from raw text.
        lines += [f"    - {e.translate(str.maketrans('', '', '[](){}'))}" for e in examples]
    return "\n".join(lines) + "\n"


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".staff-", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)
