"""Cutting a guide into retrievable sections, one chunk per section and language."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.knowledge.schema import LocalizedText, ServiceGuide

SECTION_TITLES: dict[str, dict[str, str]] = {
    "summary": {"ko": "개요", "en": "Overview"},
    "eligibility": {"ko": "대상", "en": "Who can apply"},
    "required_documents": {"ko": "구비서류", "en": "Required documents"},
    "fees": {"ko": "수수료", "en": "Fees"},
    "processing_time": {"ko": "처리기간", "en": "Processing time"},
    "deadlines": {"ko": "기한 및 과태료", "en": "Deadlines and penalties"},
    "how_to_apply": {"ko": "신청방법", "en": "How to apply"},
    "legal_basis": {"ko": "근거법령", "en": "Legal basis"},
    "faq": {"ko": "자주 묻는 질문", "en": "FAQ"},
    "contact": {"ko": "문의처", "en": "Contact"},
    "section": {"ko": "상세 안내", "en": "Details"},
    "question": {"ko": "자주 묻는 질문", "en": "Asked before"},
}


@dataclass(frozen=True)
class GuideChunk:
    """One section of one guide in one language: the unit that is embedded and indexed."""

    chunk_id: str
    service_id: str
    section: str
    lang: str
    title: str
    text: str

    def indexed_text(self) -> str:
        """What retrieval sees: the service's title in front gives every section its topic."""
        return f"{self.title}. {self.text}"

    @property
    def is_asked_question(self) -> bool:
        """A question citizens asked before, attached to the guide (sections "question1", "question2"...)."""
        return self.section.startswith("question")


def chunk_guide(guide: ServiceGuide) -> list[GuideChunk]:
    """All chunks of a guide: per section, Korean always, English where written."""
    chunks: list[GuideChunk] = []
    for lang in ("ko", "en"):
        if lang == "en" and not guide.names.has("en"):
            continue
        title = guide.title(lang)
        names = [title, *(guide.aliases.ko if lang == "ko" else guide.aliases.en)]
        for section, text in _sections(guide, lang):
            if section == "summary":
                text = f"{text} ({', '.join(names)})"
            chunks.append(
                GuideChunk(
                    chunk_id=f"{guide.id}#{section}#{lang}",
                    service_id=guide.id,
                    section=section,
                    lang=lang,
                    title=title,
                    text=text,
                )
            )
    return chunks


def _sections(guide: ServiceGuide, lang: str) -> list[tuple[str, str]]:
    def text_of(value: LocalizedText | None) -> str | None:
        if value is None or not value.has(lang):
            return None
        return value.get(lang)

    sections: list[tuple[str, str | None]] = [
        ("summary", text_of(guide.summary)),
        ("eligibility", text_of(guide.eligibility)),
        ("fees", text_of(guide.fees)),
        ("processing_time", text_of(guide.processing_time)),
        ("deadlines", text_of(guide.deadlines)),
        ("legal_basis", text_of(guide.legal_basis)),
    ]
    documents = [d.get(lang) for d in guide.required_documents if d.has(lang)]
    if documents:
        sections.append(("required_documents", " / ".join(documents)))
    if guide.how_to_apply is not None:
        parts = [text_of(guide.how_to_apply.offices) or ""]
        if guide.how_to_apply.online:
            parts.append(("온라인: " if lang == "ko" else "Online: ") + guide.how_to_apply.online)
        sections.append(("how_to_apply", " ".join(p for p in parts if p)))
    contact = text_of(guide.contact)
    if contact:
        sections.append(("contact", contact))
    for number, extra in enumerate(guide.sections, start=1):
        if extra.text.has(lang):
            title, body = extra.title.get(lang), extra.text.get(lang)
            # Imported chunks often already start with their heading; do not say it twice.
            sections.append((f"section{number}", body if body.startswith(title) else f"{title}: {body}"))
    asked = guide.questions.ko if lang == "ko" else guide.questions.en
    for number, question in enumerate(asked, start=1):
        sections.append((f"question{number}", question))
    for number, faq in enumerate(guide.faqs, start=1):
        if faq.question.has(lang) and faq.answer.has(lang):
            sections.append((f"faq{number}", f"{faq.question.get(lang)} {faq.answer.get(lang)}"))
    return [(name, text) for name, text in sections if text]


def section_title(section: str, lang: str) -> str:
    """Human title of a section key (faq3 -> FAQ)."""
    key = section.rstrip("0123456789")
    return SECTION_TITLES.get(key, {}).get(lang, section)
