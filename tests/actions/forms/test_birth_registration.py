"""Birth registration form: every answer validated, with reasons in the citizen's language."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.forms.birth_registration import ActionAskBirthRegistrationConfirmed, ValidateBirthRegistrationForm
from tests.actions.conftest import make_tracker

FORM = "birth_registration_form"


@pytest.fixture()
def form() -> ValidateBirthRegistrationForm:
    return ValidateBirthRegistrationForm()


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("김하늘", "김하늘"), ("이름은 김하늘이에요", "김하늘"), ("박지우입니다", "박지우"), ("남궁 민수요", "남궁민수")],
)
def test_child_name_accepts_hangul_names(form, domain: dict[str, Any], answer: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(answer, active_loop=FORM, requested_slot="child_name")
    assert form.validate_child_name(answer, dispatcher, tracker, domain) == {"child_name": expected}
    assert dispatcher.messages == []


@pytest.mark.parametrize("answer", ["Kim", "김", "1234", "김하늘김하늘김", "<script>"])
def test_child_name_refuses_non_names_with_a_reason(form, domain: dict[str, Any], answer: str) -> None:  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(answer, active_loop=FORM, requested_slot="child_name")
    assert form.validate_child_name(answer, dispatcher, tracker, domain) == {"child_name": None}
    assert "한글" in dispatcher.messages[0]["text"]


def test_child_name_reason_in_english(form, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("Kim", active_loop=FORM, requested_slot="child_name", lang="en")
    form.validate_child_name("Kim", dispatcher, tracker, domain)
    assert "Hangul" in dispatcher.messages[0]["text"]


def test_birth_date_in_the_future_is_refused_with_a_reason(form, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(tomorrow, active_loop=FORM, requested_slot="child_birth_date")
    assert form.validate_child_birth_date(tomorrow, dispatcher, tracker, domain) == {"child_birth_date": None}
    assert "미래" in dispatcher.messages[0]["text"]


def test_birth_date_yesterday_is_stored_as_iso(form, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("어제요", active_loop=FORM, requested_slot="child_birth_date")
    result = form.validate_child_birth_date("어제요", dispatcher, tracker, domain)
    assert result == {"child_birth_date": (date.today() - timedelta(days=1)).isoformat()}
    assert dispatcher.messages == []


def test_late_birth_date_warns_about_the_fine_and_goes_on(form, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    old = (date.today() - timedelta(days=45)).isoformat()
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(old, active_loop=FORM, requested_slot="child_birth_date")
    assert form.validate_child_birth_date(old, dispatcher, tracker, domain) == {"child_birth_date": old}
    assert "과태료" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize(("answer", "reason"), [("2월 30일", "존재하지 않는"), ("언젠가", "알아듣지")])
def test_unreadable_and_impossible_dates(form, domain: dict[str, Any], answer: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(answer, active_loop=FORM, requested_slot="child_birth_date")
    assert form.validate_child_birth_date(answer, dispatcher, tracker, domain) == {"child_birth_date": None}
    assert reason in dispatcher.messages[0]["text"]


async def test_summary_shows_the_answers_and_asks_yes_or_no(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={"child_name": "김하늘", "child_birth_date": "2026-11-20"}, active_loop=FORM)
    events = await ActionAskBirthRegistrationConfirmed().run(dispatcher, tracker, domain)
    assert events == []
    message = dispatcher.messages[0]
    assert "김하늘" in message["text"] and "2026-11-20" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny"]


def test_every_form_slot_has_a_validator(domain: dict[str, Any]) -> None:
    required = domain["forms"][FORM]["required_slots"]
    assert all(hasattr(ValidateBirthRegistrationForm, f"validate_{slot}") for slot in required)


@pytest.mark.parametrize(("lang", "words"), [("ko", "아기 이름"), ("en", "baby's name")])
async def test_questions_are_asked_in_the_citizens_language(domain: dict[str, Any], lang: str, words: str) -> None:
    from actions.forms.birth_registration import ActionAskChildName

    dispatcher = CollectingDispatcher()
    await ActionAskChildName().run(dispatcher, make_tracker(lang=lang, active_loop=FORM), domain)
    assert words in dispatcher.messages[0]["text"]
