"""Document photos in the forms, and submitting the move-in report and the certificate request."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.applications import ActionSubmitMoveIn, ActionSubmitResidentCertificate
from actions.forms.birth_registration import ValidateBirthRegistrationForm
from assistant import services
from tests.actions.conftest import citizen_view, make_tracker, run_validation, slot_events
from tests.files import jpeg_bytes

BR = "birth_registration_form"


def upload_message(upload_id: str, citizen: dict[str, Any], slot: str = "doc_birth_certificate"):  # type: ignore[no-untyped-def]
    payload = f'/inform{{"upload_id": "{upload_id}"}}'
    return make_tracker(
        payload, intent="inform", active_loop=BR, requested_slot=slot, citizen=citizen,
        entities=[{"entity": "upload_id", "value": upload_id}],
        events=[{"event": "slot", "name": slot, "value": payload}],
    )


async def test_an_accepted_upload_fills_the_document_slot(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    upload = services.upload_store().receive("c-1001", "s", jpeg_bytes())
    events, messages = await run_validation(ValidateBirthRegistrationForm(), upload_message(upload.id, citizen_view()), domain)
    assert slot_events(events)["doc_birth_certificate"] == upload.id
    assert messages == []


async def test_a_wrong_file_gets_its_reason_and_the_slot_stays_empty(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    upload = services.upload_store().receive("c-1001", "s", b"GIF89a not one of ours")
    events, messages = await run_validation(ValidateBirthRegistrationForm(), upload_message(upload.id, citizen_view()), domain)
    assert slot_events(events)["doc_birth_certificate"] is None
    assert "JPEG" in messages[0]["text"]


async def test_another_citizens_upload_is_not_accepted(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    theirs = services.upload_store().receive("c-2001", "s", jpeg_bytes())
    events, messages = await run_validation(ValidateBirthRegistrationForm(), upload_message(theirs.id, citizen_view()), domain)
    assert slot_events(events)["doc_birth_certificate"] is None
    assert "찾을 수 없어요" in messages[0]["text"]


async def test_typing_instead_of_uploading_asks_for_the_photo(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    tracker = make_tracker("사진이 없어요", active_loop=BR, requested_slot="doc_reporter_id", citizen=citizen_view(),
                           events=[{"event": "slot", "name": "doc_reporter_id", "value": "사진이 없어요"}])
    events, messages = await run_validation(ValidateBirthRegistrationForm(), tracker, domain)
    assert slot_events(events)["doc_reporter_id"] is None
    assert "📎" in messages[0]["text"]


FORM_STARTED = [{"event": "active_loop", "name": "move_in_form", "timestamp": 1700000000.5}]


async def test_move_in_is_filed_with_its_attachment_linked(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    upload = services.upload_store().receive("c-1001", "s", jpeg_bytes())
    answers = {"previous_address": "서울특별시 종로구 자하문로 12 301호", "new_address": "서울특별시 마포구 월드컵로 240",
               "move_date": "2026-11-20", "moving_members": ["김민준"], "doc_mover_id": upload.id,
               "move_in_confirmed": True}
    tracker = make_tracker("네", intent="affirm", slots=answers, citizen=citizen_view(), events=FORM_STARTED)
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitMoveIn().run(dispatcher, tracker, domain)
    receipt = dispatcher.messages[0]["custom"]["receipt"]["receipt_number"]
    assert receipt.split("-")[1] == "MI"
    assert all(e["value"] is None for e in events)
    [application] = services.records_store().list_for_citizen("citizen:c-1001")
    assert application.attachments[0]["document"] == "mover_id"
    assert application.attachments[0]["sha256"] == services.upload_store().get(upload.id).sha256
    assert services.upload_store().get(upload.id).application_id == application.id


async def test_certificate_is_issued_as_a_sample_pdf_once(settings, domain: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    answers = {"certificate_type": "등본", "certificate_copies": "2", "certificate_delivery": "pdf",
               "certificate_options": "with_history_show_digits", "certificate_purpose": "은행 제출용",
               "certificate_confirmed": True}
    started = [{"event": "active_loop", "name": "resident_certificate_form", "timestamp": 1700000000.5}]
    tracker = make_tracker("네", intent="affirm", slots=answers, citizen=citizen_view(), events=started, lang="en")
    dispatcher = CollectingDispatcher()
    await ActionSubmitResidentCertificate().run(dispatcher, tracker, domain)
    receipt = dispatcher.messages[0]["custom"]["receipt"]
    assert receipt["receipt_number"].split("-")[1] == "RC"
    assert receipt["download_url"] == f"/api/applications/{receipt['receipt_number']}/certificate.pdf"
    assert "sample" in dispatcher.messages[0]["text"]
    pdf = (settings.certificates_dir / f"{receipt['receipt_number']}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"SAMPLE" in pdf
    # A retried call files nothing new and issues the same certificate.
    again = CollectingDispatcher()
    await ActionSubmitResidentCertificate().run(again, tracker, domain)
    assert again.messages[0]["custom"]["receipt"]["receipt_number"] == receipt["receipt_number"]
    assert len(services.records_store().list_for_citizen("citizen:c-1001")) == 1
