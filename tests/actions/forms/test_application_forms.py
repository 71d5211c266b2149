"""Behaviour every form shares: sign-in first, prefill confirmed in one turn, corrections at the
summary, interruptions left to the rules, cancel clears everything. Run through rasa-sdk's `run`."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.forms.base import ActionAskCitizenId
from actions.forms.birth_registration import ActionAskBirthPrefillConfirmed, ValidateBirthRegistrationForm
from actions.forms.cancel import ActionCancelForm
from actions.forms.move_in import ActionAskMovingMembers, ValidateMoveInForm
from actions.forms.resident_certificate import ValidateResidentCertificateForm
from tests.actions.conftest import citizen_view, make_tracker, run_validation, slot_events

BR = "birth_registration_form"


def activation(citizen: dict[str, Any] | None, form: str, channel: str = "web", lang: str = "ko"):  # type: ignore[no-untyped-def]
    """The tracker Rasa sends when a form starts with the citizen slot already filled."""
    citizen_id = citizen["id"] if citizen else None
    return make_tracker(
        "신청", intent="apply", active_loop=form, citizen=citizen, channel=channel, lang=lang,
        slots={"citizen_id": citizen_id},
        events=[{"event": "slot", "name": "citizen_id", "value": citizen_id}],
    )


async def test_birth_registration_prefills_parents_from_the_household(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    events, messages = await run_validation(ValidateBirthRegistrationForm(), activation(citizen_view("c-1001"), BR), domain)
    assert slot_events(events).items() >= {
        "citizen_id": "c-1001", "father_name": "김민준", "mother_name": "이서연",
        "registration_base": "서울특별시 종로구 평창동 123", "reporter_relation": "father",
    }.items()
    assert messages == []


async def test_a_mother_signing_in_is_the_reporter_and_her_spouse_the_father(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    events, _ = await run_validation(ValidateBirthRegistrationForm(), activation(citizen_view("c-3001"), BR), domain)
    slots = slot_events(events)
    assert (slots["father_name"], slots["mother_name"], slots["reporter_relation"]) == ("정도윤", "최유나", "mother")
    # The child's 등록기준지 follows the father's.
    assert slots["registration_base"] == "경기도 수원시 팔달구 인계동 1111"


async def test_a_single_parent_is_asked_only_for_the_missing_parent(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    events, _ = await run_validation(ValidateBirthRegistrationForm(), activation(citizen_view("c-2001"), BR), domain)
    slots = slot_events(events)
    assert slots["father_name"] == "박지훈" and "mother_name" not in slots


async def test_prefilled_values_are_shown_for_one_confirmation(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(active_loop=BR, citizen=citizen_view(), slots={
        "father_name": "김민준", "mother_name": "이서연", "registration_base": "서울특별시 종로구 평창동 123",
        "reporter_relation": "father"})
    await ActionAskBirthPrefillConfirmed().run(dispatcher, tracker, domain)
    text = dispatcher.messages[0]["text"]
    assert "김민준" in text and "이서연" in text and "평창동 123" in text
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/affirm", "/deny"]


async def test_saying_no_to_the_prefill_asks_for_each_value(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    tracker = make_tracker("아니요", intent="deny", active_loop=BR, requested_slot="birth_prefill_confirmed",
                           citizen=citizen_view(), slots={"father_name": "김민준", "mother_name": "이서연"},
                           events=[{"event": "slot", "name": "birth_prefill_confirmed", "value": False}])
    events, _ = await run_validation(ValidateBirthRegistrationForm(), tracker, domain)
    slots = slot_events(events)
    assert slots["birth_prefill_confirmed"] is False
    assert slots["father_name"] is None and slots["mother_name"] is None and slots["registration_base"] is None


async def test_signed_out_citizens_are_asked_to_sign_in(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    await ActionAskCitizenId().run(dispatcher, make_tracker(active_loop=BR), domain)
    assert "로그인" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["custom"] == {"sign_in_required": True}
    # Still signed out on the next message: asked again instead of a fallback.
    tracker = make_tracker("로그인했어요", active_loop=BR, requested_slot="citizen_id")
    events, _ = await run_validation(ValidateBirthRegistrationForm(), tracker, domain)
    assert slot_events(events).get("citizen_id", "missing") is None


@pytest.mark.parametrize(
    ("lang", "text", "slot", "expected"),
    [
        ("ko", "생년월일 3월 4일로 바꿔줘", "child_birth_date", "03-04"),
        ("en", "change the birth date to March 4", "child_birth_date", "03-04"),
        ("ko", "이름 김하나로 바꿔줘", "child_name", "김하나"),
        ("en", "change the name to 김하나", "child_name", "김하나"),
        ("ko", "출생 시각 오전 10시로 바꿔 주세요", "child_birth_time", "10:00"),
        ("en", "change the sex to boy", "child_sex", "M"),
    ],
)
async def test_one_answer_changes_at_the_summary(settings, domain: dict[str, Any], lang: str, text: str,  # type: ignore[no-untyped-def]
                                                 slot: str, expected: str) -> None:
    answers = {"child_name": "김하늘", "child_sex": "F", "child_birth_date": "2026-11-20", "child_birth_time": "15:20"}
    tracker = make_tracker(text, intent="inform", active_loop=BR, requested_slot="birth_registration_confirmed",
                           citizen=citizen_view(), slots=answers, lang=lang)
    events, _ = await run_validation(ValidateBirthRegistrationForm(), tracker, domain)
    slots = slot_events(events)
    assert str(slots[slot]).endswith(expected)
    # Nothing else changed, and the summary is asked again (not confirmed).
    assert set(slots) - {"requested_slot"} == {slot}


async def test_a_correction_with_a_bad_value_gives_the_reason(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    tracker = make_tracker("생년월일 2월 30일로 바꿔줘", active_loop=BR, requested_slot="birth_registration_confirmed",
                           citizen=citizen_view(), slots={"child_birth_date": "2026-11-20"})
    events, messages = await run_validation(ValidateBirthRegistrationForm(), tracker, domain)
    assert slot_events(events)["child_birth_date"] is None
    assert "존재하지 않는" in messages[0]["text"]


async def test_unclear_answer_at_the_summary_explains_the_choices(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    tracker = make_tracker("음 글쎄요", intent="inform", active_loop=BR, requested_slot="birth_registration_confirmed",
                           citizen=citizen_view())
    events, messages = await run_validation(ValidateBirthRegistrationForm(), tracker, domain)
    assert slot_events(events) == {"birth_registration_confirmed": None}
    assert "바꿔줘" in messages[0]["text"]


@pytest.mark.parametrize("intent", ["cancel", "ask_service_info"])
async def test_interruptions_at_the_summary_are_left_to_the_rules(settings, domain: dict[str, Any], intent: str) -> None:  # type: ignore[no-untyped-def]
    tracker = make_tracker("취소", intent=intent, active_loop=BR, requested_slot="birth_registration_confirmed",
                           citizen=citizen_view())
    events, messages = await run_validation(ValidateBirthRegistrationForm(), tracker, domain)
    # No slot set: Rasa rejects the form for this turn and the cancel / question rule runs.
    assert slot_events(events) == {} and messages == []


async def test_move_in_prefills_the_registered_address_and_offers_the_household(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    events, _ = await run_validation(ValidateMoveInForm(), activation(citizen_view(), "move_in_form"), domain)
    assert slot_events(events)["previous_address"] == "서울특별시 종로구 자하문로 12 301호"
    dispatcher = CollectingDispatcher()
    await ActionAskMovingMembers().run(dispatcher, make_tracker(citizen=citizen_view(), active_loop="move_in_form"), domain)
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert titles[0] == "모두 (김민준, 이서연, 김하린)" and "본인만 (김민준)" in titles


async def test_move_in_refuses_the_same_address_and_future_dates(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    form, dispatcher = ValidateMoveInForm(), CollectingDispatcher()
    tracker = make_tracker(citizen=citizen_view(), active_loop="move_in_form",
                           slots={"previous_address": "서울특별시 종로구 자하문로 12 301호"})
    assert form.validate_new_address("서울특별시 종로구 자하문로 12 301호", dispatcher, tracker, domain) == {"new_address": None}
    assert form.validate_move_date("2999-01-01", dispatcher, tracker, domain) == {"move_date": None}
    assert "같아요" in dispatcher.messages[0]["text"] and "이사한 뒤" in dispatcher.messages[1]["text"]
    assert form.validate_moving_members("저랑 아내", dispatcher, tracker, domain) == {"moving_members": ["김민준", "이서연"]}


async def test_certificate_takes_type_from_the_request_and_defaults_by_channel(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    tracker = activation(citizen_view(), "resident_certificate_form", channel="kiosk")
    events, _ = await run_validation(ValidateResidentCertificateForm(), tracker, domain)
    slots = slot_events(events)
    assert slots["certificate_copies"] == "1" and slots["certificate_delivery"] == "kiosk_print"
    form, dispatcher = ValidateResidentCertificateForm(), CollectingDispatcher()
    assert form.validate_certificate_copies("11부", dispatcher, tracker, domain) == {"certificate_copies": None}
    assert "10부" in dispatcher.messages[0]["text"]


async def test_cancel_clears_every_answer_of_the_form(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("취소", intent="cancel", active_loop="move_in_form", slots={"new_address": "x"})
    events = await ActionCancelForm().run(dispatcher, tracker, domain)
    cleared = slot_events(events)
    assert {"new_address", "move_date", "moving_members", "doc_mover_id", "move_in_confirmed"} <= set(cleared)
    assert all(v is None for v in cleared.values())
    assert events[0] == {"event": "active_loop", "name": None, "timestamp": None}


def test_every_required_slot_of_every_form_has_a_validator_and_an_ask_action(domain: dict[str, Any]) -> None:
    from assistant.web.actions_loader import load_action_executor

    registered = set(load_action_executor("actions").actions)
    for form, validator in (("birth_registration_form", ValidateBirthRegistrationForm),
                            ("move_in_form", ValidateMoveInForm),
                            ("resident_certificate_form", ValidateResidentCertificateForm)):
        for slot in domain["forms"][form]["required_slots"]:
            assert hasattr(validator, f"validate_{slot}"), (form, slot)
            assert f"action_ask_{slot}" in registered, (form, slot)


def test_dates_in_corrections_are_never_in_the_future() -> None:
    from actions.forms.validators import validate_past_date

    assert validate_past_date("3월 4일", date(2026, 3, 3))[0] == date(2025, 3, 4)
