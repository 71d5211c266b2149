"""Staff console API: every permission rule, CSRF, throttling, the guide workflow and the queue (no Rasa)."""

from __future__ import annotations

import yaml
from fastapi.testclient import TestClient

from assistant import services
from assistant.identity.sessions import COOKIE_NAME
from assistant.records.demo_residents import DEMO_PIN
from assistant.staff.sessions import STAFF_COOKIE
from tests.web.staff_client import PASSWORD, sign_in, staff_app  # noqa: F401 - fixture

GUIDE = "resident-registration-certificate"


def _fee_text(client: TestClient, fee: str) -> str:
    text = client.app.state.staff.desk.file_text(GUIDE)
    data = yaml.safe_load(text)
    data["fees"]["ko"] = fee
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_staff_cookie_is_httponly_strict_and_me_returns_the_csrf_token(staff_app: TestClient) -> None:
    response = staff_app.post("/api/staff/auth/sign-in", json={"username": "ed", "password": PASSWORD})
    cookie = response.headers["set-cookie"]
    assert STAFF_COOKIE in cookie and "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    me = staff_app.get("/api/staff/auth/me").json()
    assert me["staff"]["role"] == "editor" and me["csrf_token"] == response.json()["csrf_token"]


def test_wrong_password_is_refused_and_throttled_per_account(staff_app: TestClient) -> None:
    for _ in range(5):
        assert staff_app.post("/api/staff/auth/sign-in", json={"username": "ed", "password": "wrong-password"}).status_code == 401
    # Even the right password waits now; the message says how long, in the client's language.
    response = staff_app.post("/api/staff/auth/sign-in", json={"username": "ed", "password": PASSWORD},
                              headers={"accept-language": "en"})
    assert response.status_code == 429 and "Too many failed sign-ins" in response.json()["error"]["message"]
    assert staff_app.post("/api/staff/auth/sign-in", json={"username": "rev", "password": PASSWORD}).status_code == 200


def test_sign_in_is_throttled_per_client_across_accounts(staff_app: TestClient) -> None:
    for i in range(20):
        staff_app.post("/api/staff/auth/sign-in", json={"username": f"nobody{i}", "password": "x"})
    assert staff_app.post("/api/staff/auth/sign-in", json={"username": "adm", "password": PASSWORD}).status_code == 429


def test_a_citizen_session_never_reaches_staff_apis_or_pages_data(staff_app: TestClient) -> None:
    response = staff_app.post("/api/auth/sign-in", json={"citizen_id": "c-1001", "pin": DEMO_PIN})
    token = response.json()["token"]
    for url in ("/api/staff/auth/me", "/api/staff/guides", "/api/staff/unanswered", "/api/staff/queue",
                "/api/staff/analytics", "/api/staff/audit", "/api/staff/accounts"):
        assert staff_app.get(url).status_code == 401, url
        assert staff_app.get(url, headers={"authorization": f"Bearer {token}"}).status_code == 401, url
    # The citizen's token placed in the staff cookie does not verify either (another signing key).
    staff_app.cookies.set(STAFF_COOKIE, token)
    assert staff_app.get("/api/staff/guides").status_code == 401
    assert COOKIE_NAME in staff_app.cookies


def test_state_changes_without_the_csrf_token_are_refused(staff_app: TestClient) -> None:
    csrf = sign_in(staff_app, "adm")
    body = {"username": "new1", "password": "long-enough-pw", "role": "editor"}
    missing = staff_app.post("/api/staff/accounts", json=body)
    assert missing.status_code == 403 and missing.json()["error"]["code"] == "csrf_failed"
    assert staff_app.post("/api/staff/accounts", json=body, headers={"x-csrf-token": "forged"}).status_code == 403
    assert staff_app.put(f"/api/staff/guides/{GUIDE}/draft", json={"yaml_text": "id: x"}).status_code == 403
    assert staff_app.post("/api/staff/auth/sign-out").status_code == 403
    assert staff_app.post("/api/staff/accounts", json=body, headers=csrf).status_code == 201


def test_only_admins_create_accounts(staff_app: TestClient) -> None:
    body = {"username": "boss", "password": "long-enough-pw", "role": "admin"}
    for name in ("ed", "rev"):
        csrf = sign_in(staff_app, name)
        response = staff_app.post("/api/staff/accounts", json=body, headers=csrf)
        assert response.status_code == 403 and response.json()["error"]["code"] == "role_required"
        assert staff_app.get("/api/staff/accounts").status_code == 403
    csrf = sign_in(staff_app, "adm")
    assert staff_app.post("/api/staff/accounts", json=body, headers=csrf).status_code == 201
    assert staff_app.post("/api/staff/accounts", json=body, headers=csrf).status_code == 422  # taken


def test_sign_out_ends_the_staff_session(staff_app: TestClient) -> None:
    csrf = sign_in(staff_app, "ed")
    token = staff_app.cookies.get(STAFF_COOKIE)
    assert staff_app.post("/api/staff/auth/sign-out", headers=csrf).status_code == 200
    staff_app.cookies.set(STAFF_COOKIE, token)
    assert staff_app.get("/api/staff/auth/me").status_code == 401


def test_invalid_guide_text_is_refused_field_by_field(staff_app: TestClient) -> None:
    csrf = sign_in(staff_app, "ed")
    data = yaml.safe_load(staff_app.app.state.staff.desk.file_text(GUIDE))
    data["url"] = "ftp://nowhere"
    data["category"] = "nonsense"
    del data["summary"]
    response = staff_app.put(f"/api/staff/guides/{GUIDE}/draft", json={"yaml_text": yaml.safe_dump(data, allow_unicode=True)},
                             headers=csrf)
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["error"]["fields"]}
    assert {"category", "summary"} <= fields
    broken = staff_app.put(f"/api/staff/guides/{GUIDE}/draft", json={"yaml_text": "id: [unclosed"}, headers=csrf)
    assert broken.json()["error"]["fields"][0]["field"] == "(yaml)"


def test_editor_drafts_reviewer_publishes_and_the_index_answers_at_once(staff_app: TestClient) -> None:
    desk = staff_app.app.state.staff.desk
    csrf = sign_in(staff_app, "ed")
    saved = staff_app.put(f"/api/staff/guides/{GUIDE}/draft", json={"yaml_text": _fee_text(staff_app, "등본 발급 수수료는 1통 777원이에요.")},
                          headers=csrf).json()["version"]
    assert saved["status"] == "draft"
    version_id = saved["id"]
    # An editor cannot publish, not even after sending the draft for review.
    assert staff_app.post(f"/api/staff/guides/versions/{version_id}/publish", headers=csrf).status_code == 403
    assert staff_app.post(f"/api/staff/guides/versions/{version_id}/submit", headers=csrf).json()["version"]["status"] == "in_review"
    assert staff_app.post(f"/api/staff/guides/versions/{version_id}/publish", headers=csrf).status_code == 403
    # The preview answers from the draft before anything is published.
    preview = staff_app.post(f"/api/staff/guides/{GUIDE}/preview", json={"question": "등본 발급 수수료는 얼마인가요"}, headers=csrf).json()
    assert preview["service_id"] == GUIDE and "777원" in preview["text"]
    assert "777원" not in desk.file_text(GUIDE)

    csrf = sign_in(staff_app, "rev")
    before = services.knowledge_index()
    published = staff_app.post(f"/api/staff/guides/versions/{version_id}/publish", headers=csrf)
    assert published.status_code == 200, published.text
    # Copy on write: the index searches ran on is left whole; a new one took its place.
    assert services.knowledge_index() is not before and staff_app.app.state.knowledge is services.knowledge_index()
    assert not any("777원" in c.text for c in before.chunks_of(GUIDE))
    assert published.json()["index"]["changed"] == 1
    assert "1통 777원이에요." in desk.file_text(GUIDE)
    hits = services.knowledge_index().search("등본 발급 수수료는 얼마인가요", k=3)
    chunks = services.knowledge_index().chunks_of(GUIDE)
    assert hits[0].service_id == GUIDE and any("777원" in c.text for c in chunks)
    # Publishing the same version twice is refused.
    assert staff_app.post(f"/api/staff/guides/versions/{version_id}/publish", headers=csrf).status_code == 409

    history = staff_app.get(f"/api/staff/guides/{GUIDE}/history").json()["versions"]
    assert [v["status"] for v in history[:2]] == ["published", "published"]
    assert "+  ko: 1통 777원이에요." in history[0]["diff"] or "777원" in history[0]["diff"]
    # Roll back to the imported file: the old fee is back in the file and in the index.
    rolled = staff_app.post(f"/api/staff/guides/{GUIDE}/rollback", json={"number": history[1]["number"]}, headers=csrf)
    assert rolled.status_code == 200 and rolled.json()["version"]["note"] == f"rollback to v{history[1]['number']}"
    assert "777원" not in desk.file_text(GUIDE)
    assert not any("777원" in c.text for c in services.knowledge_index().chunks_of(GUIDE))
    actions = [e["action"] for e in staff_app.get("/api/staff/audit").json()["entries"]]
    assert {"save_draft", "submit_for_review", "publish", "rollback"} <= set(actions)


def test_reviewer_sends_a_text_back_with_a_note(staff_app: TestClient) -> None:
    csrf = sign_in(staff_app, "ed")
    version = staff_app.put(f"/api/staff/guides/{GUIDE}/draft", json={"yaml_text": _fee_text(staff_app, "무료")},
                            headers=csrf).json()["version"]
    staff_app.post(f"/api/staff/guides/versions/{version['id']}/submit", headers=csrf)
    assert staff_app.post(f"/api/staff/guides/versions/{version['id']}/reject", json={"note": "근거?"}, headers=csrf).status_code == 403
    csrf = sign_in(staff_app, "rev")
    rejected = staff_app.post(f"/api/staff/guides/versions/{version['id']}/reject", json={"note": "근거 필요"}, headers=csrf)
    assert rejected.json()["version"]["status"] == "rejected"


def test_unanswered_groups_become_guide_questions_training_examples_or_are_dismissed(staff_app: TestClient) -> None:
    misses = staff_app.app.state.staff.misses
    for text in ("여권 사진 규격이 어떻게 돼요", "여권사진 규격 어떻게 되나요", "여권 사진 규격 알려줘",
                 "반려견 동반 가능한 민원실 있나요", "제 번호 010-1234-5678로 연락 주세요"):
        misses.record(text, "retrieval_miss")
    csrf = sign_in(staff_app, "ed")
    groups = staff_app.get("/api/staff/unanswered").json()["groups"]
    passport = next(g for g in groups if "여권" in g["representative"])
    assert passport["count"] == 3
    assert any("010-****-****" in g["representative"] for g in groups)  # masked before it was stored
    attached = staff_app.post("/api/staff/unanswered/attach", json={
        "question_ids": passport["question_ids"], "service_id": "passport", "attach_as": "question"}, headers=csrf)
    assert attached.status_code == 200 and attached.json()["closed"] == 3
    draft = staff_app.get("/api/staff/guides/passport").json()["draft"]
    assert "여권 사진 규격 알려줘" in draft["yaml_text"] and draft["status"] == "draft"

    others = staff_app.get("/api/staff/unanswered").json()["groups"]
    assert all("여권" not in g["representative"] for g in others)
    pet = next(g for g in others if "반려견" in g["representative"])
    assert staff_app.post("/api/staff/unanswered/train", json={"question_ids": pet["question_ids"], "intent": "no_such"},
                          headers=csrf).status_code == 422
    trained = staff_app.post("/api/staff/unanswered/train", json={"question_ids": pet["question_ids"], "intent": "ask_service_info"},
                             headers=csrf)
    assert trained.json()["examples_added"] == 1
    written = yaml.safe_load(staff_app.app.state.staff.nlu_examples_path.read_text(encoding="utf-8"))
    assert written["nlu"][0]["intent"] == "ask_service_info" and "반려견" in written["nlu"][0]["examples"]
    rest = staff_app.get("/api/staff/unanswered").json()["groups"]
    dismissed = staff_app.post("/api/staff/unanswered/dismiss", json={"question_ids": rest[0]["question_ids"]}, headers=csrf)
    assert dismissed.json()["closed"] == 1
    assert staff_app.get("/api/staff/unanswered").json()["groups"] == []


def test_reviewers_work_the_application_queue_editors_cannot(staff_app: TestClient) -> None:
    store = services.records_store()
    receipt = store.submit("move_in", "citizen:c-1001", {"new_address": "서울"}, "k-q1").receipt_number
    store.submit("birth_registration", "citizen:c-1002", {}, "k-q2")
    csrf = sign_in(staff_app, "ed")
    assert staff_app.get("/api/staff/queue").status_code == 403
    assert staff_app.post(f"/api/staff/queue/{receipt}/decision", json={"status": "in_review"}, headers=csrf).status_code == 403
    csrf = sign_in(staff_app, "rev")
    listed = staff_app.get("/api/staff/queue?kind=move_in&status=submitted").json()["applications"]
    assert [a["receipt_number"] for a in listed] == [receipt]
    assert staff_app.get(f"/api/staff/queue/{receipt}").json()["application"]["payload"] == {"new_address": "서울"}
    assert staff_app.post(f"/api/staff/queue/{receipt}/decision", json={"status": "in_review"}).status_code == 403  # no CSRF
    assert staff_app.post(f"/api/staff/queue/{receipt}/decision", json={"status": "in_review"}, headers=csrf).status_code == 200
    assert staff_app.post(f"/api/staff/queue/{receipt}/decision", json={"status": "rejected"}, headers=csrf).status_code == 422
    approved = staff_app.post(f"/api/staff/queue/{receipt}/decision", json={"status": "approved", "note": "확인 완료"}, headers=csrf)
    assert approved.json()["application"]["status"] == "approved"
    assert store.find_for_citizen(receipt, "citizen:c-1001").status.value == "approved"
    trail = staff_app.get(f"/api/staff/queue/{receipt}").json()["audit"]
    assert {"application_in_review", "application_approved"} <= {e["action"] for e in trail}
    assert staff_app.get("/api/staff/queue?status=approved").json()["applications"][0]["receipt_number"] == receipt


def test_the_token_endpoint_still_works_and_also_takes_a_reviewer_session(staff_app: TestClient) -> None:
    receipt = services.records_store().submit("move_in", "citizen:c-1001", {}, "k-tok").receipt_number
    url = f"/api/staff/applications/{receipt}/status"
    assert staff_app.post(url, json={"status": "in_review"}, headers={"authorization": "Bearer staff-secret"}).status_code == 200
    csrf = sign_in(staff_app, "ed")
    assert staff_app.post(url, json={"status": "approved"}, headers=csrf).status_code == 403
    csrf = sign_in(staff_app, "rev")
    assert staff_app.post(url, json={"status": "approved"}).status_code == 403  # no CSRF
    assert staff_app.post(url, json={"status": "approved"}, headers=csrf).json()["application"]["status"] == "approved"
    actors = {e["actor"] for e in staff_app.get("/api/staff/audit").json()["entries"] if e["target"] == f"application:{receipt}"}
    assert actors == {"token", "rev"}


def test_analytics_as_json_svg_charts_and_csv(staff_app: TestClient) -> None:
    analytics = staff_app.app.state.staff.analytics
    analytics.record_turn("s1", "web", "ask_service_info", 0.9, None, None, ["passport"], False)
    analytics.record_turn("s1", "web", "apply_move_in", 0.95, "move_in_form", "new_address", [], False)
    analytics.record_turn("s1", "web", "affirm", 0.9, "move_in_form", "move_in_confirmed", [], False)
    analytics.record_turn("s2", "kiosk", "nlu_fallback", 0.2, None, None, [], True)
    services.records_store().submit("move_in", "citizen:c-1001", {}, "k-an")
    sign_in(staff_app, "ed")
    data = staff_app.get("/api/staff/analytics").json()
    assert data["conversations_per_day"][0]["conversations"] == 2 and data["fallback_rate"] == 0.25
    move_in = next(f for f in data["funnel"] if f["form"] == "move_in_form")
    assert (move_in["started"], move_in["confirmed"], move_in["submitted"]) == (1, 1, 1)
    assert data["services"] == [{"service_id": "passport", "count": 1}]
    for name in ("conversations", "intents", "funnel", "services"):
        svg = staff_app.get(f"/api/staff/analytics/charts/{name}.svg")
        assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml") and "<svg" in svg.text
    assert staff_app.get("/api/staff/analytics/charts/nope.svg").status_code == 404
    csv_text = staff_app.get("/api/staff/analytics/export.csv").text
    assert "fallback_rate,all,0.25,4" in csv_text and "funnel,move_in_form:submitted,1" in csv_text


def test_the_console_page_has_the_strict_csp(staff_app: TestClient) -> None:
    page = staff_app.get("/staff")
    assert page.status_code == 200 and "/static/staff/staff.js" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text  # no inline script
