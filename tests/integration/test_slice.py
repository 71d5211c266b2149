"""The thin slice end to end, through real Rasa 3.6 and the real service: greet, a cited answer,
a form that needs a signed-in citizen, cancelling, and no personal numbers in the logs."""

from __future__ import annotations

import sqlite3
import uuid

import httpx
import pytest

from tests.integration.conftest import RunningAssistant

pytestmark = [pytest.mark.integration, pytest.mark.slow]


class Conversation:
    """One citizen talking to the served assistant through /api/chat."""

    def __init__(self, assistant: RunningAssistant, lang: str = "ko") -> None:
        self.url = assistant.url
        self.sender = f"it-{uuid.uuid4().hex[:12]}"
        self.lang = lang
        self.transcript: list[str] = []

    def say(self, message: str) -> dict:
        response = httpx.post(
            f"{self.url}/api/chat",
            json={"sender": self.sender, "message": message, "metadata": {"lang": self.lang, "channel": "web"}},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        self.transcript.append(f"citizen: {message}")
        self.transcript += [f"assistant: {m['text']}" for m in body["messages"] if m.get("text")]
        return body

    @staticmethod
    def text(body: dict) -> str:
        return "\n".join(m["text"] for m in body["messages"] if m.get("text"))


def test_health_reports_rasa_model_and_index(assistant: RunningAssistant) -> None:
    body = httpx.get(f"{assistant.url}/health").json()
    assert body["status"] == "ok"
    assert body["rasa"]["up"] is True and body["rasa"]["model_file"].startswith("rasa-")
    assert body["index"]["chunks"] > 500 and body["index"]["services"] >= 30


def test_conversations_persist_in_the_sql_tracker_store(assistant: RunningAssistant) -> None:
    chat = Conversation(assistant)
    chat.say("안녕하세요")
    with sqlite3.connect(assistant.var_dir / "rasa_tracker.db") as db:
        count = db.execute("select count(*) from events where sender_id = ?", (chat.sender,)).fetchone()[0]
    assert count > 0


def test_chat_says_where_the_turn_time_went(assistant: RunningAssistant) -> None:
    response = httpx.post(
        f"{assistant.url}/api/chat", json={"sender": f"it-{uuid.uuid4().hex[:12]}", "message": "안녕하세요"}, timeout=60
    )
    phases = dict(part.strip().split(";dur=") for part in response.headers["server-timing"].split(","))
    assert list(phases) == ["rasa", "record"]  # the state comes with Rasa's answer (gateway channel)
    assert all(float(ms) >= 0.0 for ms in phases.values())
    assert float(phases["rasa"]) > 1.0  # a real round trip through Rasa


def test_the_gateway_channel_answers_with_the_state_the_tracker_endpoint_shows(assistant: RunningAssistant) -> None:
    rasa = f"http://127.0.0.1:{assistant.rasa_port}"
    sender = f"it-{uuid.uuid4().hex[:12]}"
    answer = httpx.post(f"{rasa}/webhooks/gateway/webhook", json={
        "sender": sender, "message": "등본 떼고 싶어요", "metadata": {"lang": "ko", "channel": "web"}}, timeout=60).json()
    tracker = httpx.get(f"{rasa}/conversations/{sender}/tracker", params={"include_events": "NONE"}, timeout=60).json()
    assert answer["messages"] and all("recipient_id" in m for m in answer["messages"])
    for key in ("sender_id", "slots", "latest_message", "active_loop", "latest_action_name"):
        assert answer["tracker"][key] == tracker[key], key
    assert answer["tracker"]["latest_message"]["intent"]["name"] == "request_resident_certificate"


def test_korean_greeting(assistant: RunningAssistant) -> None:
    body = Conversation(assistant).say("안녕하세요")
    assert body["intent"]["name"] == "greet"
    assert "안녕하세요" in Conversation.text(body)


def test_english_greeting(assistant: RunningAssistant) -> None:
    body = Conversation(assistant, lang="en").say("Hello there")
    assert body["intent"]["name"] == "greet"
    assert "Hello" in Conversation.text(body)


def test_question_is_answered_with_its_guide_cited(assistant: RunningAssistant) -> None:
    body = Conversation(assistant).say("출생신고 기한이 언제까지인가요?")
    assert body["intent"]["name"] == "ask_service_info"
    assert body["sources"][0]["service_id"] == "birth-registration"
    assert "1개월" in Conversation.text(body)


def test_english_question_is_answered_in_english(assistant: RunningAssistant) -> None:
    body = Conversation(assistant, lang="en").say("How much does it cost to renew a passport?")
    assert body["sources"][0]["service_id"] == "passport"
    assert "Passport" in Conversation.text(body)


def test_a_form_asks_a_signed_out_citizen_to_sign_in(assistant: RunningAssistant) -> None:
    # The whole birth registration (signed in, uploads, receipt in the database) is in test_forms.py.
    chat = Conversation(assistant)
    body = chat.say("출생신고 하고 싶어요")
    assert body["active_form"] == "birth_registration_form"
    assert "로그인" in Conversation.text(body)


def test_cancel_in_the_middle_submits_nothing(assistant: RunningAssistant) -> None:
    chat = Conversation(assistant)
    chat.say("출생신고 하려고 해요")
    body = chat.say("취소할래요")
    assert body["active_form"] is None
    assert "취소" in Conversation.text(body)
    with sqlite3.connect(assistant.var_dir / "assistant.db") as db:
        count = db.execute("select count(*) from applications where citizen_ref = ?", (f"conversation:{chat.sender}",)).fetchone()
    assert count == (0,)


def test_nlu_parse_contract(assistant: RunningAssistant) -> None:
    response = httpx.post(f"{assistant.url}/api/nlu/parse", json={"text": "출생신고 하고 싶어요"}, timeout=30)
    body = response.json()
    assert body["intent"]["name"] == "apply_birth_registration"
    assert {"name", "confidence"} <= set(body["intent_ranking"][0])


def test_rasa_and_rasa_sdk_agree_on_the_action_protocol(assistant: RunningAssistant) -> None:
    """Rasa 3.6.21 calls the service's rasa-sdk 3.x webhook; the action's events and messages
    come back intact (a slot set by action_change_language, its text, its custom payload)."""
    chat = Conversation(assistant)
    body = chat.say("영어로 바꿔줘")
    assert body["intent"]["name"] == "change_language"
    assert "English" in Conversation.text(body)
    assert any((m.get("custom") or {}).get("language") == "en" for m in body["messages"])
    tracker = httpx.get(
        f"http://127.0.0.1:{assistant.rasa_port}/conversations/{chat.sender}/tracker", timeout=30
    ).json()
    assert tracker["slots"]["language"] == "en"
    assert tracker["latest_action_name"] == "action_listen"
    action_events = [e for e in tracker["events"] if e.get("event") == "action"]
    assert "action_change_language" in [e["name"] for e in action_events]


def test_registration_and_phone_numbers_never_reach_the_logs(assistant: RunningAssistant) -> None:
    from tests.integration.citizen import Citizen

    rrn, phone = "900101-1234567", "010-9876-5432"
    chat = Conversation(assistant)
    chat.say(f"제 주민번호는 {rrn}이고 전화번호는 {phone}이에요")
    chat.say(f"My number is {phone}")
    # A signed-in citizen (whose own number is in the register) sends files holding a number and a
    # marker: an accepted PDF and a refused text file. Neither content may be logged.
    marker, planted = "UPLOAD-CONTENT-MARKER-5521", "810203-2456789"
    citizen = Citizen(assistant, "ko", "c-1001")
    citizen.say("출생신고 하고 싶어요")
    citizen.say(f"아니요 제 주민번호는 {planted}")
    pdf = b"%PDF-1.4\n1 0 obj << >> endobj\n% " + marker.encode() + b" " + planted.encode() + b"\n%%EOF\n"
    assert citizen.upload(pdf, "id.pdf")[0] in (201, 422)
    assert citizen.upload(f"{marker} {planted} {rrn}".encode(), "notes.txt")[0] == 422
    logs = [assistant.log_path, *sorted((assistant.var_dir / "logs").glob("*"))]
    for path in logs:
        text = path.read_text(errors="replace")
        assert rrn not in text and "1234567" not in text, path
        assert phone not in text and "98765432" not in text, path
        assert planted not in text and "2456789" not in text and marker not in text, path
