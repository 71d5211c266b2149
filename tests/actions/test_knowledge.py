"""Answering service questions from the knowledge base, with the guide cited."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import ActionAnswerServiceQuestion
from tests.actions.conftest import make_tracker


async def test_answer_cites_the_guide_and_offers_its_form(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("출생신고는 언제까지 해야 하나요?", intent="ask_service_info")
    events = await ActionAnswerServiceQuestion().run(dispatcher, tracker, domain)
    answer, sources = dispatcher.messages
    assert "출생신고" in answer["text"]
    assert answer["buttons"][0]["payload"] == "/apply_birth_registration"
    assert sources["custom"]["sources"][0]["service_id"] == "birth-registration"
    assert events[0]["name"] == "service" and events[0]["value"] == "birth-registration"


async def test_english_question_gets_an_english_answer(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("How much does a new passport cost?", intent="ask_service_info", lang="en")
    await ActionAnswerServiceQuestion().run(dispatcher, tracker, domain)
    answer = dispatcher.messages[0]
    assert answer["text"].startswith("[Passport")
    assert dispatcher.messages[1]["custom"]["sources"][0]["service_id"] == "passport"


async def test_no_match_offers_a_person(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("qqqzzz", intent="ask_service_info")
    assert await ActionAnswerServiceQuestion().run(dispatcher, tracker, domain) == []
    assert dispatcher.messages[0]["buttons"][-1]["payload"] == "/human_handoff"
