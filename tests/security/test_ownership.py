"""Citizen A can never read citizen B's application, uploaded file or certificate, by any route.

Citizen-facing routes that take an id: the certificate download (receipt number), the status check
(a receipt number in the chat text, answered by an action) and a document in a form (upload id,
checked by an action). Every one answers B exactly as if A's item did not exist.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rasa_sdk import Tracker

from assistant.records.demo_residents import DEMO_PIN
from assistant.security import action_webhook_token
from tests.web.module_app import module_app

A, B = "c-1001", "c-2001"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with module_app(tmp_path_factory.mktemp("ownership"), ASSISTANT_RATE_LIMITS="false") as test_client:
        yield test_client


def bearer(client: TestClient, citizen_id: str) -> dict[str, str]:
    response = client.post("/api/auth/sign-in", json={"citizen_id": citizen_id, "pin": DEMO_PIN})
    assert response.status_code == 200, response.text
    client.cookies.clear()  # only the bearer token speaks for the citizen below
    return {"authorization": f"Bearer {response.json()['token']}"}


def file_certificate(client: TestClient, citizen_id: str) -> str:
    """A's resident certificate request, filed and issued the way the submit action does it."""
    import asyncio

    from actions.clients import CertificateClient, RecordsClient

    payload = {"certificate_type": "등본", "options": [], "copies": 1, "purpose": "은행 제출용", "delivery": "pdf"}
    receipt = asyncio.run(RecordsClient().submit("resident_certificate", f"citizen:{citizen_id}", payload,
                                                 f"test:{citizen_id}", []))
    asyncio.run(CertificateClient().issue(receipt, citizen_id, payload))
    return receipt


def status_check(client: TestClient, citizen_id: str, text: str) -> str:
    """The status-check action run through /webhook as Rasa would, for a tracker signed in as `citizen_id`."""
    citizen = client.app.state.citizens.get(citizen_id)
    metadata = {"lang": "ko", "citizen_id": citizen_id, "citizen": client.app.state.citizens.prefill_view(citizen)}
    call = {
        "next_action": "action_check_application_status", "sender_id": f"s-{citizen_id}", "version": "3.6.21",
        "tracker": {"sender_id": f"s-{citizen_id}", "slots": {}, "events": [], "paused": False,
                    "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen",
                    "latest_message": {"text": text, "intent": {"name": "check_application_status"},
                                       "entities": [], "metadata": metadata}},
        "domain": {"version": "3.1", "intents": [], "slots": {}, "responses": {}, "actions": [], "forms": {}},
    }
    response = client.post("/webhook", json=call, params={"token": action_webhook_token(client.app.state.settings)})
    assert response.status_code == 200, response.text
    return "\n".join(r.get("text") or "" for r in response.json()["responses"])


def test_a_certificate_downloads_only_for_its_citizen(client: TestClient) -> None:
    receipt = file_certificate(client, A)
    url = f"/api/applications/{receipt}/certificate.pdf"
    owner = client.get(url, headers=bearer(client, A))
    assert owner.status_code == 200 and owner.content.startswith(b"%PDF")
    other = client.get(url, headers=bearer(client, B))
    missing = client.get("/api/applications/2099-RC-999999/certificate.pdf", headers=bearer(client, B))
    # "Not yours" looks exactly like "does not exist": nothing about A leaks to B.
    assert other.status_code == missing.status_code == 404 and other.json() == missing.json()
    assert client.get(url.lower(), headers=bearer(client, B)).status_code == 404  # case games change nothing
    assert client.get(url).status_code == 401


def test_the_application_list_is_the_citizens_own(client: TestClient) -> None:
    receipt = file_certificate(client, A)
    mine = client.get("/api/applications", headers=bearer(client, A)).json()["applications"]
    theirs = client.get("/api/applications", headers=bearer(client, B)).json()["applications"]
    assert receipt in [a["receipt_number"] for a in mine]
    assert receipt not in [a["receipt_number"] for a in theirs]


def test_a_status_check_for_anothers_receipt_finds_nothing(client: TestClient) -> None:
    receipt = file_certificate(client, A)
    assert receipt in status_check(client, A, f"{receipt} 처리 상태 알려줘")
    answer = status_check(client, B, f"{receipt} 처리 상태 알려줘")
    assert "찾을 수 없어요" in answer and "접수" not in answer.replace("접수번호", "")


def test_an_upload_cannot_be_used_or_seen_by_another_citizen(client: TestClient) -> None:
    import asyncio

    from PIL import Image

    from actions.forms.documents import check_document

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (1, 2, 3)).save(buffer, "JPEG")
    upload = client.app.state.uploads.receive(A, "s-a", buffer.getvalue())
    assert upload.status == "accepted"

    def tracker_of(citizen_id: str) -> Tracker:
        citizen = client.app.state.citizens.get(citizen_id)
        view = client.app.state.citizens.prefill_view(citizen)
        return Tracker.from_dict({"sender_id": "s", "slots": {}, "events": [], "paused": False,
                                  "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen",
                                  "latest_message": {"text": "", "entities": [{"entity": "upload_id", "value": upload.id}],
                                                     "metadata": {"citizen_id": citizen_id, "citizen": view}}})

    assert asyncio.run(check_document(tracker_of(A), upload.id)) == (upload.id, None)
    # B naming A's upload id gets the answer for an id that does not exist.
    assert asyncio.run(check_document(tracker_of(B), upload.id)) == (None, "doc_unknown")
    assert asyncio.run(check_document(tracker_of(B), "u-0000000000")) == (None, "doc_unknown")
    assert client.app.state.uploads.get_for_citizen(upload.id, B) is None
