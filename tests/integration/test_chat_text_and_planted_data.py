"""Through real Rasa and the actions: odd chat text never crashes a turn, and a planted registration
number and phone number never reach the logs, the staff analytics, its charts and CSV export, the
unanswered-question list, the applications queue or the audit log.

(tests/integration/test_slice.py checks the logs for the same kind of data; this adds the staff
side, where chat text is aggregated and exported.)
"""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.citizen import Citizen, text
from tests.integration.conftest import RunningAssistant

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PLANTED_RRN, PLANTED_PHONE = "850615-2345678", "010-5566-7788"
FORBIDDEN = (PLANTED_RRN, "2345678", PLANTED_PHONE, "55667788", "5566-7788")
STAFF_PASSWORD = "planted-data-pw-42"
NASTY = ["<script>alert(1)</script> 등본", "\u0000\u0001등본\u202e", "\ud800 주민등록등본 \udfff", "😀👨\u200d👩\u200d👧 수수료?",
         "مرحبا 等本 등본 발급", "x" * 1999, "<img src=x onerror=alert(1)>", "\t\n  \u3000"]


def chat_raw(assistant: RunningAssistant, sender: str, message: str) -> httpx.Response:
    body = json.dumps({"sender": sender, "message": message, "metadata": {"lang": "ko", "channel": "web"}})
    return httpx.post(f"{assistant.url}/api/chat", content=body.encode(), timeout=120,
                      headers={"content-type": "application/json"})


@pytest.mark.parametrize("message", NASTY)
def test_odd_text_through_real_rasa_gets_an_answer_not_a_crash(assistant: RunningAssistant, message: str) -> None:
    response = chat_raw(assistant, "odd-text", message)
    assert response.status_code in (200, 413, 422), response.text[:500]
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    if response.status_code == 200:
        assert response.json()["messages"], "the assistant answered nothing"


@given(message=st.text(st.characters(codec=None, categories=None), min_size=1, max_size=60))
@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_generated_text_through_real_rasa(assistant: RunningAssistant, message: str) -> None:
    response = chat_raw(assistant, "generated-text", message)
    assert response.status_code in (200, 422), response.text[:500]


@pytest.fixture(scope="module")
def staff(assistant: RunningAssistant) -> httpx.Client:
    """An admin of the staff console of the served system (created straight in its database)."""
    from assistant.records.database import Database
    from assistant.staff.accounts import AccountError, StaffDirectory

    database = Database(f"sqlite:///{assistant.var_dir / 'assistant.db'}")
    try:
        StaffDirectory(database).create("planted-admin", STAFF_PASSWORD, "admin")
    except AccountError:
        pass  # made by an earlier run of this module in the same session
    database.dispose()
    client = httpx.Client(base_url=assistant.url, timeout=120)
    response = client.post("/api/staff/auth/sign-in", json={"username": "planted-admin", "password": STAFF_PASSWORD})
    assert response.status_code == 200, response.text
    client.headers["x-csrf-token"] = response.json()["csrf_token"]
    return client


def test_planted_numbers_never_reach_logs_analytics_or_exports(assistant: RunningAssistant, staff: httpx.Client) -> None:
    anonymous = Citizen(assistant, "ko")
    anonymous.say(f"제 주민번호 {PLANTED_RRN} 로 뭘 할 수 있나요")
    anonymous.say(f"연락처는 {PLANTED_PHONE} 이에요. 우주선 면허는 어디서 받나요?")  # out of scope: unanswered
    citizen = Citizen(assistant, "ko", "c-1001")
    citizen.say(f"주민등록번호 {PLANTED_RRN} 전화 {PLANTED_PHONE} 등본 떼 주세요")
    for message in ("네", "기본으로 해 주세요", f"{PLANTED_PHONE} 제출용"):
        citizen.say(message)
    body = citizen.say("네")
    receipts = [m["custom"]["receipt"]["receipt_number"] for m in body["messages"]
                if (m.get("custom") or {}).get("receipt")]

    seen: dict[str, str] = {}
    seen["analytics"] = staff.get("/api/staff/analytics").text
    for name in ("conversations", "intents", "services", "funnel"):
        seen[f"chart {name}"] = staff.get(f"/api/staff/analytics/charts/{name}.svg").text
    export = staff.get("/api/staff/analytics/export.csv")
    assert export.status_code == 200
    seen["analytics export"] = export.text
    unanswered = staff.get("/api/staff/unanswered")
    assert unanswered.status_code == 200
    seen["unanswered"] = unanswered.text
    seen["queue"] = staff.get("/api/staff/queue").text
    for receipt in receipts:
        seen[f"queue {receipt}"] = staff.get(f"/api/staff/queue/{receipt}").text
    seen["audit"] = staff.get("/api/staff/audit").text
    seen["applications"] = citizen.http.get("/api/applications").text
    for path in [assistant.log_path, *sorted((assistant.var_dir / "logs").glob("*"))]:
        seen[str(path)] = path.read_text(errors="replace")
    # Rasa's tracker store keeps every message: only the masked numbers may be there.
    tracker_db = assistant.var_dir / "rasa_tracker.db"
    assert tracker_db.exists()
    seen["rasa tracker store"] = "".join(
        path.read_bytes().decode("utf-8", errors="replace") for path in sorted(assistant.var_dir.glob("rasa_tracker.db*"))
    )
    assert "850615-2******" in seen["rasa tracker store"]  # the message arrived, masked
    assert len(seen["analytics export"]) > 10 and "우주선" in seen["unanswered"]  # the turns were recorded
    for where, content in seen.items():
        for planted in FORBIDDEN:
            assert planted not in content, f"{planted!r} found in {where}"
    assert text(body)  # the citizen still got an answer
