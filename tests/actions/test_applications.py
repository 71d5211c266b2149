"""Submitting a birth registration: one application per form run, receipt number given, status shown."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.applications import BIRTH_SLOTS, ActionCheckApplicationStatus, ActionSubmitBirthRegistration, form_run_key
from assistant import services
from tests.actions.conftest import make_tracker

FORM_STARTED = [{"event": "active_loop", "name": "birth_registration_form", "timestamp": 1700000000.5}]
ANSWERS = {"child_name": "김하늘", "child_birth_date": "2026-11-20", "birth_registration_confirmed": True}


CITIZEN = {"id": "c-1001", "name": "김민준"}


async def test_submit_files_one_application_and_tells_the_receipt(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    action = ActionSubmitBirthRegistration()
    tracker = make_tracker("네", intent="affirm", slots=ANSWERS, events=FORM_STARTED, citizen=CITIZEN)
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain)
    receipt = dispatcher.messages[0]["custom"]["receipt"]["receipt_number"]
    assert receipt in dispatcher.messages[0]["text"]
    # Every answer of the form is cleared, so the next run starts fresh.
    assert {e["name"] for e in events if e["event"] == "slot"} == set(BIRTH_SLOTS) >= set(ANSWERS)
    # Rasa retrying the same call (same form run) must not file a second application.
    again = CollectingDispatcher()
    await action.run(again, tracker, domain)
    assert again.messages[0]["custom"]["receipt"]["receipt_number"] == receipt
    stored = services.records_store().list_for_citizen("citizen:c-1001")
    assert [a.receipt_number for a in stored] == [receipt]
    assert stored[0].payload == {"child_name": "김하늘", "child_birth_date": "2026-11-20"}


async def test_a_no_files_nothing(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    tracker = make_tracker("아니요", intent="deny", slots={**ANSWERS, "birth_registration_confirmed": False})
    dispatcher = CollectingDispatcher()
    await ActionSubmitBirthRegistration().run(dispatcher, tracker, domain)
    assert "제출하지 않았어요" in dispatcher.messages[0]["text"]
    assert services.records_store().list_for_citizen("conversation:test-sender") == []


async def test_signed_out_at_the_summary_files_nothing(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    await ActionSubmitBirthRegistration().run(dispatcher, make_tracker("네", intent="affirm", slots=ANSWERS), domain)
    assert "아무것도 제출하지 않았어요" in dispatcher.messages[0]["text"]
    assert services.records_store().list_for_citizen("conversation:test-sender") == []


def test_form_run_key_changes_with_a_new_run() -> None:
    first = make_tracker(events=FORM_STARTED)
    second = make_tracker(events=[*FORM_STARTED, {**FORM_STARTED[0], "timestamp": 1700000100.0}])
    assert form_run_key(first, "birth_registration_form") != form_run_key(second, "birth_registration_form")


async def test_status_lists_only_this_citizens_applications(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    store = services.records_store()
    mine = store.submit("birth_registration", "conversation:me", {}, "k1")
    theirs = store.submit("birth_registration", "conversation:someone-else", {}, "k2")
    dispatcher = CollectingDispatcher()
    await ActionCheckApplicationStatus().run(dispatcher, make_tracker("내 신청 상태", sender_id="me"), domain)
    assert mine.receipt_number in dispatcher.messages[0]["text"]
    assert theirs.receipt_number not in dispatcher.messages[0]["text"]
    # Someone else's receipt number is "not found", never shown.
    dispatcher = CollectingDispatcher()
    await ActionCheckApplicationStatus().run(
        dispatcher, make_tracker(f"{theirs.receipt_number} 상태 알려줘", sender_id="me"), domain
    )
    assert "찾을 수 없어요" in dispatcher.messages[0]["text"]
