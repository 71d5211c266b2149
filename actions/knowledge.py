"""Answering questions about services from the knowledge base, with the guide cited."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import KnowledgeClient
from actions.i18n import lang_of, say
from assistant.knowledge.chunks import section_title
from assistant.retrieval.index import SearchHit
from assistant.settings import get_settings
from assistant.staff.recording import record_retrieval_miss

FORM_INTENTS = {
    "birth_registration_form": "apply_birth_registration",
    "move_in_form": "apply_move_in",
    "resident_certificate_form": "request_resident_certificate",
}
SNIPPET_CHARS = 360


class ActionAnswerServiceQuestion(Action):
    """Answers with the best section of the best guide, short, in the citizen's language."""

    def __init__(self, knowledge: KnowledgeClient | None = None) -> None:
        self.knowledge = knowledge or KnowledgeClient()

    def name(self) -> str:
        return "action_answer_service_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lang = lang_of(tracker)
        question = (tracker.latest_message or {}).get("text") or ""
        hits = await self.knowledge.search(question, k=3, lang=lang)
        if not hits:
            await asyncio.to_thread(record_retrieval_miss, question, lang)
            dispatcher.utter_message(text=say("kb_nothing", lang), buttons=[_person_button(lang)])
            return []
        best = hits[0]
        if not is_confident(hits, lang):
            # Staff see what the guides could not answer (masked) in the console's unanswered queue.
            await asyncio.to_thread(record_retrieval_miss, question, lang)
            buttons = [{"title": h.title, "payload": f"{h.title}{' 안내' if lang == 'ko' else ' guide'}"} for h in hits]
            dispatcher.utter_message(text=say("kb_not_sure", lang), buttons=[*buttons, _person_button(lang)])
            return []
        dispatcher.utter_message(text=answer_text(best, lang), buttons=_offer_form(best, tracker, lang))
        dispatcher.utter_message(json_message={"sources": [source_of(best)]})
        return [SlotSet("service", best.service_id)]


def is_confident(hits: list[SearchHit], lang: str) -> bool:
    """Whether the top hit is a real answer rather than the least bad guess.

    The dense cosine of the best chunk is the calibrated signal; a lexical-only index (dense
    retrieval switched off) answers whenever BM25 found anything.
    """
    best = hits[0]
    if best.confidence <= 0.0:
        return True
    settings = get_settings()
    threshold = settings.answer_min_cosine_en if lang == "en" else settings.answer_min_cosine_ko
    return best.confidence >= threshold


def answer_text(hit: SearchHit, lang: str) -> str:
    """The cited answer: guide title, section, a short snippet, and the link."""
    snippet = hit.snippet if len(hit.snippet) <= SNIPPET_CHARS else hit.snippet[: SNIPPET_CHARS - 1] + "…"
    text = say("kb_answer", lang, title=hit.title, section=section_title(hit.section, lang), snippet=snippet)
    if lang == "en" and hit.lang != "en":
        text = f"{say('kb_korean_only', lang)}\n{text}"
    if hit.url:
        text = f"{text}\n{say('kb_more', lang, url=hit.url)}"
    return text


def source_of(hit: SearchHit) -> dict[str, Any]:
    """The `sources` entry of the chat response."""
    return {"service_id": hit.service_id, "title": hit.title, "url": hit.url}


def _offer_form(hit: SearchHit, tracker: Tracker, lang: str) -> list[dict[str, str]]:
    intent = FORM_INTENTS.get(hit.related_form or "")
    active = (tracker.active_loop or {}).get("name")
    if intent is None or active == hit.related_form:
        return []
    return [{"title": say("button_apply", lang, title=hit.title), "payload": f"/{intent}"}]


def _person_button(lang: str) -> dict[str, str]:
    return {"title": say("button_person", lang), "payload": "/human_handoff"}
