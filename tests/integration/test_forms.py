"""The three application forms end to end through /api/chat and /api/uploads, real Rasa 3.6 and the
real service, in Korean and English. Each test prints the citizen's measured turn count.

Targets (signed in, prefill doing the rest): birth registration <= 12 turns, move-in <= 8,
certificate <= 6.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date, timedelta

import httpx
import pytest

from tests.files import jpeg_bytes, pdf_bytes, png_bytes
from tests.integration.citizen import Citizen, custom, text
from tests.integration.conftest import STAFF_TOKEN, RunningAssistant

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TARGETS = {"birth_registration": 12, "move_in": 8, "resident_certificate": 6}


def applications(assistant: RunningAssistant, citizen_ref: str) -> list[tuple]:  # type: ignore[type-arg]
    with sqlite3.connect(assistant.var_dir / "assistant.db") as db:
        rows = db.execute(
            "select receipt_number, kind, payload, attachments, status from applications where citizen_ref = ?"
            " order by id", (citizen_ref,)).fetchall()
    return [(r, k, json.loads(p), json.loads(a or "[]"), s) for r, k, p, a, s in rows]


def test_birth_registration_in_korean_with_a_correction(assistant: RunningAssistant) -> None:
    me = Citizen(assistant, "ko", "c-1001")
    body = me.say("출생신고 하고 싶어요")
    assert body["active_form"] == "birth_registration_form"
    prefill = text(body)
    assert "김민준" in prefill and "이서연" in prefill and "평창동 123" in prefill  # shown, not assumed
    assert "이름" in text(me.say("네"))
    assert "성별" in text(me.say("김하늘"))
    assert "날짜" in text(me.say("여자"))
    assert "시각" in text(me.say("어제"))
    assert "태어난 곳" in text(me.say("오후 3시 20분"))
    body = me.say("서울대학교병원")
    assert custom(body, "upload")["slot"] == "doc_birth_certificate"
    photos = [jpeg_bytes(), png_bytes(), pdf_bytes()]
    for photo, name in zip(photos, ("certificate.jpg", "id.png", "form.pdf")):
        status, upload = me.upload(photo, name)
        assert status == 201 and upload["upload"]["status"] == "accepted"
    summary = text(upload["reply"])
    assert "확인해 주세요" in summary and "출생증명서, 신고인 신분증, 서명한 출생신고서" in summary
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert yesterday in summary

    body = me.say("생년월일 3월 4일로 바꿔줘")
    changed = text(body)
    assert "-03-04" in changed and yesterday not in changed and body["active_form"] == "birth_registration_form"

    body = me.say("네")
    assert body["active_form"] is None
    receipt = custom(body, "receipt")["receipt_number"]
    assert receipt.split("-")[1] == "BR" and receipt in text(body)
    me.report("birth_registration")
    assert me.own_turns <= TARGETS["birth_registration"]

    [(number, kind, payload, attachments, status)] = applications(assistant, "citizen:c-1001")[-1:]
    assert (number, kind, status) == (receipt, "birth_registration", "submitted")
    assert payload["child_birth_date"].endswith("-03-04") and payload["father_name"] == "김민준"
    # Attachments are linked by content hash, and the files sit outside the database under that hash.
    assert [a["document"] for a in attachments] == ["birth_certificate", "reporter_id", "signed_form"]
    for photo, attachment in zip(photos, attachments):
        digest = hashlib.sha256(photo).hexdigest()
        assert attachment["sha256"] == digest
        assert list((assistant.var_dir / "uploads" / digest[:2]).glob(f"{digest}.*"))


def test_birth_registration_in_english_with_a_wrong_file_a_question_and_a_reload(assistant: RunningAssistant) -> None:
    me = Citizen(assistant, "en", "c-1002")
    body = me.say("I want to register a birth")
    assert "Mother: 이서연" in text(body) and "Filed by: mother" in text(body)
    me.say("yes")
    me.say("김하늘")
    me.say("boy")
    me.say("yesterday")
    me.say("3:20 pm")
    body = me.say("at home")
    assert "birth certificate" in text(body)
    status, upload = me.upload(b"this is a text file, not a photo", "notes.txt", detour=True)
    assert status == 422 and upload["error"]["code"] == "upload_type_not_allowed"
    reply = text(upload["reply"])
    assert "Only JPEG or PNG" in reply and "birth certificate" in reply  # the reason, then asked again
    me.upload(jpeg_bytes())
    body = me.say("How long do I have to register a birth?", detour=True)
    assert body["intent"]["name"] == "ask_service_info" and body["sources"][0]["service_id"] == "birth-registration"
    assert "one month" in text(body) and "ID card" in text(body)  # answered, then the form asks again

    # A reload: a new browser session on the same conversation (signed in again) resumes the form.
    reloaded = Citizen(assistant, "en", "c-1002", sender=me.sender)
    status, upload = reloaded.upload(png_bytes())
    assert status == 201 and "signed" in text(upload["reply"])
    me.turns += reloaded.turns
    me.transcript += reloaded.transcript
    status, upload = me.upload(pdf_bytes())
    assert "Shall I submit it?" in text(upload["reply"])
    body = me.say("change the birth date to March 4")
    assert "-03-04" in text(body) and "More than a month" in text(body)  # late-fee warning, goes on
    body = me.say("yes")
    assert custom(body, "receipt")["receipt_number"] in text(body)
    me.report("birth_registration")
    assert me.own_turns <= TARGETS["birth_registration"]


def test_move_in_in_korean(assistant: RunningAssistant) -> None:
    me = Citizen(assistant, "ko", "c-3001")
    body = me.say("전입신고 하려고요")
    assert body["active_form"] == "move_in_form"
    assert "경기도 성남시 분당구 불정로 90 502호" in text(body) and "정도윤 (배우자)" in text(body)
    me.say("네")
    body = me.say("마포구 어딘가로 이사했어요", detour=True)
    assert "도로명주소" in text(body)  # the reason, and asked again
    me.say("서울특별시 마포구 월드컵로 240 101동 1001호")
    body = me.say("어제")
    assert [b["title"] for b in body["messages"][0]["buttons"]][:2] == ["모두 (최유나, 정도윤)", "본인만 (최유나)"]
    body = me.say("모두")
    assert "신분증" in text(body)
    status, upload = me.upload(jpeg_bytes())
    summary = text(upload["reply"])
    assert "월드컵로 240" in summary and "최유나, 정도윤" in summary and "신고인 신분증" in summary
    body = me.say("네")
    receipt = custom(body, "receipt")["receipt_number"]
    assert receipt.split("-")[1] == "MI"
    me.report("move_in")
    assert me.own_turns <= TARGETS["move_in"]
    assert applications(assistant, "citizen:c-3001")[-1][0] == receipt


def test_move_in_in_english(assistant: RunningAssistant) -> None:
    me = Citizen(assistant, "en", "c-2001")
    me.say("I need to report a move")
    body = me.say("yes")
    assert "road-name address" in text(body)
    me.say("240 World Cup-ro, Mapo-gu, Seoul")
    body = me.say("2999-01-01", detour=True)
    assert "after moving" in text(body)
    me.say("yesterday")
    me.say("just me")
    me.upload(png_bytes())
    body = me.say("yes")
    assert custom(body, "receipt")["receipt_number"].split("-")[1] == "MI"
    me.report("move_in")
    assert me.own_turns <= TARGETS["move_in"]


def test_resident_certificate_in_korean_issues_a_pdf_only_its_citizen_can_download(assistant: RunningAssistant) -> None:
    me = Citizen(assistant, "ko", "c-1001")
    body = me.say("주민등록등본 떼 주세요")
    assert body["active_form"] == "resident_certificate_form"
    assert "주민등록표 등본" in text(body) and "900101-1******" in text(body) and "1234567" not in text(body)
    me.say("네")
    me.say("기본으로 해 주세요")
    body = me.say("은행 제출용")
    assert "1부" in text(body)
    body = me.say("3부로 바꿔줘")
    assert "3부" in text(body)
    body = me.say("네")
    receipt = custom(body, "receipt")
    me.report("resident_certificate")
    assert me.own_turns <= TARGETS["resident_certificate"]
    assert receipt["receipt_number"].split("-")[1] == "RC"
    pdf = me.http.get(receipt["download_url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and b"SAMPLE" in pdf.content
    stranger = Citizen(assistant, "ko", "c-2001")
    assert stranger.http.get(receipt["download_url"]).status_code == 404
    assert httpx.get(assistant.url + receipt["download_url"]).status_code == 401


def test_resident_certificate_in_english_at_a_kiosk(assistant: RunningAssistant) -> None:
    me = Citizen(assistant, "en", "c-3002", channel="kiosk")
    body = me.say("I need a copy of my resident registration")
    assert "print at the kiosk" in text(body)
    me.say("yes")
    me.say("include past addresses")
    me.say("for my employer")
    body = me.say("yes")
    receipt = custom(body, "receipt")
    assert receipt["delivery"] == "kiosk_print" and "kiosk will print" in text(body)
    me.report("resident_certificate")
    assert me.own_turns <= TARGETS["resident_certificate"]


def test_a_signed_out_citizen_is_asked_to_sign_in_and_then_carries_on(assistant: RunningAssistant) -> None:
    me = Citizen(assistant, "ko")
    assert me.say("무인민원발급기 수수료 얼마예요?")["intent"]["name"] == "ask_service_info"  # questions need no sign-in
    body = me.say("출생신고 하고 싶어요")
    assert custom(body, "sign_in_required") is True and body["active_form"] == "birth_registration_form"
    body = me.say("로그인했어요")
    assert custom(body, "sign_in_required") is True  # still signed out: asked again, no fallback
    me.sign_in("c-1001")
    body = me.say("로그인했어요")
    assert "김민준" in text(body) and "이서연" in text(body)
    body = me.say("취소")
    assert body["active_form"] is None and "아무것도 제출되지 않았어요" in text(body)
    assert applications(assistant, f"conversation:{me.sender}") == []


def test_cancel_at_the_summary_submits_nothing(assistant: RunningAssistant) -> None:
    me = Citizen(assistant, "ko", "c-4001")
    before = applications(assistant, "citizen:c-4001")
    for message in ("주민등록초본 발급해 주세요", "네", "과거 주소 포함해 주세요", "회사 제출용"):
        body = me.say(message)
    assert "발급할까요" in text(body)
    body = me.say("취소")
    assert body["active_form"] is None and "취소" in text(body)
    assert applications(assistant, "citizen:c-4001") == before


def test_status_is_the_citizens_own_and_staff_move_it(assistant: RunningAssistant) -> None:
    me = Citizen(assistant, "ko", "c-2001")
    for message in ("등본 떼 주세요", "네", "기본으로 해 주세요", "은행 제출용", "네"):
        body = me.say(message)
    receipt = custom(body, "receipt")["receipt_number"]
    moved = httpx.post(f"{assistant.url}/api/staff/applications/{receipt}/status", json={"status": "in_review"},
                       headers={"authorization": f"Bearer {STAFF_TOKEN}"})
    assert moved.status_code == 200
    illegal = httpx.post(f"{assistant.url}/api/staff/applications/{receipt}/status", json={"status": "in_review"},
                         headers={"authorization": f"Bearer {STAFF_TOKEN}"})
    assert illegal.status_code == 409
    body = me.say("내 신청 현황 알려줘")
    assert f"{receipt} (주민등록표 발급): 검토 중" in text(body)
    # Another citizen asking for this receipt number is told it does not exist.
    other = Citizen(assistant, "ko", "c-1002")
    body = other.say(f"{receipt} 처리 상태 알려줘")
    assert "찾을 수 없어요" in text(body) and "검토 중" not in text(body)
