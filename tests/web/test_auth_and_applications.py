"""Sign-in, sessions, uploads, certificate downloads and the staff endpoint (Rasa is not needed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant import services
from assistant.identity.sessions import COOKIE_NAME
from assistant.records.demo_residents import DEMO_PIN
from assistant.web.main import create_app


@pytest.fixture()
def client(settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(type(settings), "rasa_url", property(lambda self: "http://127.0.0.1:9"))
    monkeypatch.setattr(settings, "staff_token", "staff-secret")
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def sign_in(client: TestClient, citizen_id: str = "c-1001") -> str:
    response = client.post("/api/auth/sign-in", json={"citizen_id": citizen_id, "pin": DEMO_PIN})
    assert response.status_code == 200, response.text
    return response.json()["token"]


def test_demo_residents_are_listed_masked(client: TestClient) -> None:
    residents = client.get("/api/auth/demo-residents").json()["residents"]
    assert {r["id"] for r in residents} >= {"c-1001", "c-1002", "c-2001"}
    assert "c-1003" not in {r["id"] for r in residents}  # children cannot sign in
    assert all(r["rrn_masked"].endswith("******") for r in residents)


def test_sign_in_sets_an_httponly_cookie_and_sign_out_ends_it(client: TestClient) -> None:
    response = client.post("/api/auth/sign-in", json={"citizen_id": "c-1001", "pin": DEMO_PIN})
    cookie = response.headers["set-cookie"]
    assert COOKIE_NAME in cookie and "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    assert client.get("/api/auth/me").json()["citizen"]["name"] == "김민준"
    token = response.json()["token"]
    client.post("/api/auth/sign-out")
    assert client.get("/api/auth/me").status_code == 401
    # The bearer token of the signed-out session is refused too.
    assert client.get("/api/auth/me", headers={"authorization": f"Bearer {token}"}).status_code == 401


def test_wrong_pin_is_refused_in_the_clients_language(client: TestClient) -> None:
    response = client.post("/api/auth/sign-in", json={"citizen_id": "c-1001", "pin": "0000"},
                           headers={"accept-language": "en"})
    assert response.status_code == 401
    assert response.json()["error"] == {"code": "sign_in_failed", "message": "Sign-in failed. Please choose a resident and check the PIN."}


def test_uploads_need_a_signed_in_citizen(client: TestClient) -> None:
    response = client.post("/api/uploads", data={"sender": "s1"}, files={"file": ("a.jpg", b"\xff\xd8\xff", "image/jpeg")})
    assert response.status_code == 401 and response.json()["error"]["code"] == "sign_in_required"


def test_uploads_over_the_limit_are_refused_before_reading(client: TestClient) -> None:
    token = sign_in(client)
    big = b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024)
    response = client.post("/api/uploads", data={"sender": "s1"}, files={"file": ("a.jpg", big, "image/jpeg")},
                           headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 413


def test_certificates_download_only_for_their_citizen(client: TestClient, settings) -> None:  # type: ignore[no-untyped-def]
    store = services.records_store()
    application = store.submit("resident_certificate", "citizen:c-1001", {}, "k-cert")
    settings.certificates_dir.mkdir(parents=True, exist_ok=True)
    (settings.certificates_dir / f"{application.receipt_number}.pdf").write_bytes(b"%PDF-1.4 sample %%EOF")
    store.set_payload(application.id, {"certificate_file": f"{application.receipt_number}.pdf"})
    url = f"/api/applications/{application.receipt_number}/certificate.pdf"
    assert client.get(url).status_code == 401
    other = sign_in(client, "c-2001")
    assert client.get(url, headers={"authorization": f"Bearer {other}"}).status_code == 404
    mine = sign_in(client, "c-1001")
    response = client.get(url, headers={"authorization": f"Bearer {mine}"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    listed = client.get("/api/applications", headers={"authorization": f"Bearer {mine}"}).json()["applications"]
    assert [a["receipt_number"] for a in listed] == [application.receipt_number]


def test_staff_move_statuses_only_with_the_token_and_only_legally(client: TestClient) -> None:
    receipt = services.records_store().submit("move_in", "citizen:c-1001", {}, "k-staff").receipt_number
    url = f"/api/staff/applications/{receipt}/status"
    staff = {"authorization": "Bearer staff-secret"}
    assert client.post(url, json={"status": "in_review"}).status_code == 401
    assert client.post(url, json={"status": "in_review"}, headers={"authorization": "Bearer nope"}).status_code == 401
    assert client.post(url, json={"status": "approved"}, headers=staff).status_code == 409
    assert client.post(url, json={"status": "in_review"}, headers=staff).json()["application"]["status"] == "in_review"
    assert client.post(url, json={"status": "rejected"}, headers=staff).status_code == 422  # a note is required
    body = client.post(url, json={"status": "rejected", "note": "주소 확인 필요"}, headers=staff).json()
    assert body["application"]["status"] == "rejected" and body["application"]["status_note"] == "주소 확인 필요"
    assert client.post("/api/staff/applications/2026-MI-999999/status", json={"status": "in_review"},
                       headers=staff).status_code == 404


def test_staff_endpoint_is_off_without_a_configured_token(client: TestClient, settings) -> None:  # type: ignore[no-untyped-def]
    settings.staff_token = ""
    response = client.post("/api/staff/applications/2026-MI-000001/status", json={"status": "in_review"},
                           headers={"authorization": "Bearer "})
    assert response.status_code == 403
