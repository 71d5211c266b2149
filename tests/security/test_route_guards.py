"""Every route is classified, and every non-public one refuses no credentials and the wrong role.

The routes are read from the app itself: a new route missing from GUARDS fails
`test_every_route_is_classified`, so it cannot ship without someone deciding who may call it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Mount

from tests.web.staff_client import PASSWORD
from tests.web.staff_client import sign_in as staff_sign_in

ADMIN_TOKEN = "admin-secret"
STAFF_TOKEN = "staff-secret"
PUBLIC, CITIZEN, WEBHOOK = "public", "citizen", "webhook"
ANY_STAFF, EDITOR, REVIEWER, ADMIN = "staff", "editor", "reviewer", "admin"
ADMIN_TOKEN_OR_ADMIN, STAFF_TOKEN_OR_REVIEWER = "admin-token|admin", "staff-token|reviewer"

GUARDS: dict[tuple[str, str], str] = {
    ("GET", "/openapi.json"): PUBLIC, ("GET", "/docs"): PUBLIC, ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/redoc"): PUBLIC, ("GET", "/"): PUBLIC, ("GET", "/kiosk"): PUBLIC, ("GET", "/staff"): PUBLIC,
    ("GET", "/vendor/{name}"): PUBLIC, ("MOUNT", "/static"): PUBLIC, ("GET", "/health"): PUBLIC,
    ("POST", "/api/chat"): PUBLIC, ("POST", "/api/nlu/parse"): PUBLIC, ("GET", "/api/kb/search"): PUBLIC,
    ("GET", "/api/auth/demo-residents"): PUBLIC, ("POST", "/api/auth/sign-in"): PUBLIC,
    ("POST", "/api/auth/sign-out"): PUBLIC, ("POST", "/api/staff/auth/sign-in"): PUBLIC,
    ("POST", "/webhook"): WEBHOOK,
    ("GET", "/api/auth/me"): CITIZEN, ("POST", "/api/uploads"): CITIZEN, ("GET", "/api/applications"): CITIZEN,
    ("GET", "/api/applications/{receipt_number}/certificate.pdf"): CITIZEN,
    ("POST", "/api/staff/auth/sign-out"): ANY_STAFF, ("GET", "/api/staff/auth/me"): ANY_STAFF,
    ("GET", "/api/staff/audit"): ANY_STAFF,
    ("GET", "/api/staff/accounts"): ADMIN, ("POST", "/api/staff/accounts"): ADMIN,
    ("GET", "/api/staff/guides"): EDITOR, ("GET", "/api/staff/guides/{service_id}"): EDITOR,
    ("POST", "/api/staff/guides/{service_id}/validate"): EDITOR, ("PUT", "/api/staff/guides/{service_id}/draft"): EDITOR,
    ("POST", "/api/staff/guides/versions/{version_id}/submit"): EDITOR,
    ("POST", "/api/staff/guides/versions/{version_id}/reject"): REVIEWER,
    ("POST", "/api/staff/guides/versions/{version_id}/publish"): REVIEWER,
    ("POST", "/api/staff/guides/{service_id}/rollback"): REVIEWER,
    ("GET", "/api/staff/guides/{service_id}/history"): EDITOR, ("POST", "/api/staff/guides/{service_id}/preview"): EDITOR,
    ("GET", "/api/staff/unanswered"): EDITOR, ("GET", "/api/staff/unanswered/intents"): EDITOR,
    ("POST", "/api/staff/unanswered/attach"): EDITOR, ("POST", "/api/staff/unanswered/train"): EDITOR,
    ("POST", "/api/staff/unanswered/dismiss"): EDITOR,
    ("GET", "/api/staff/queue"): REVIEWER, ("GET", "/api/staff/queue/{receipt_number}"): REVIEWER,
    ("GET", "/api/staff/queue/{receipt_number}/attachments/{index}"): REVIEWER,
    ("POST", "/api/staff/queue/{receipt_number}/decision"): REVIEWER,
    ("GET", "/api/staff/analytics"): EDITOR, ("GET", "/api/staff/analytics/charts/{name}.svg"): EDITOR,
    ("GET", "/api/staff/analytics/export.csv"): EDITOR,
    ("POST", "/api/staff/applications/{receipt_number}/status"): STAFF_TOKEN_OR_REVIEWER,
    ("GET", "/api/admin/models"): ADMIN_TOKEN_OR_ADMIN, ("POST", "/api/admin/models/activate"): ADMIN_TOKEN_OR_ADMIN,
    ("POST", "/api/admin/models/rollback"): ADMIN_TOKEN_OR_ADMIN, ("POST", "/api/admin/models/train"): ADMIN_TOKEN_OR_ADMIN,
    ("GET", "/api/admin/models/train/{job_id}"): ADMIN_TOKEN_OR_ADMIN,
    ("GET", "/api/admin/models/train/{job_id}/report/{name}"): ADMIN_TOKEN_OR_ADMIN,
}
# A staff member one step below what the route needs (the "wrong role").
ROLE_BELOW = {REVIEWER: "ed", ADMIN: "rev", ADMIN_TOKEN_OR_ADMIN: "rev", STAFF_TOKEN_OR_REVIEWER: "ed"}
PATH_VALUES = {"receipt_number": "2026-RC-000001", "service_id": "resident_registration", "version_id": "1",
               "job_id": "job-1", "name": "intents", "index": "0"}


def app_routes(routes) -> Iterator[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(method, path) of every route, looking inside included routers and mounts."""
    for route in routes:
        if hasattr(route, "original_router"):  # FastAPI's included router
            yield from app_routes(route.original_router.routes)
        elif isinstance(route, Mount):
            yield "MOUNT", route.path
        else:
            for method in sorted(getattr(route, "methods", None) or ()):
                if method != "HEAD":
                    yield method, route.path


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)], path)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app for the whole module (starting one takes seconds): staff of every role, both tokens."""
    from assistant import services
    from assistant.settings import Settings, get_settings
    from assistant.web.main import create_app

    tmp = tmp_path_factory.mktemp("guards")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {"ASSISTANT_VAR_DIR": tmp / "var", "ASSISTANT_INDEX_DIR": tmp / "var" / "index",
                            "ASSISTANT_EMBEDDING_MODEL": "none", "ASSISTANT_ADMIN_TOKEN": ADMIN_TOKEN,
                            "ASSISTANT_STAFF_TOKEN": STAFF_TOKEN, "ASSISTANT_RATE_LIMITS": "false",
                            "ASSISTANT_RASA_PORT": "9"}.items():
            patch.setenv(name, str(value))
        patch.delenv("DATABASE_URL", raising=False)
        get_settings.cache_clear()
        services.reset()
        with TestClient(create_app(Settings())) as test_client:
            for name, role in (("ed", "editor"), ("rev", "reviewer"), ("adm", "admin")):
                test_client.app.state.staff.directory.create(name, PASSWORD, role)
            yield test_client
        services.reset()
        get_settings.cache_clear()


def call(client: TestClient, method: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    kwargs: dict[str, object] = {"headers": headers or {}}
    if method in ("POST", "PUT", "PATCH"):
        kwargs["json"] = {}
    response = client.request(method, concrete(path), **kwargs)  # type: ignore[arg-type]
    try:
        code = response.json().get("error", {}).get("code", "")
    except ValueError:
        code = ""
    return response.status_code, code


def test_every_route_is_classified(client: TestClient) -> None:
    routes = set(app_routes(client.app.routes))
    assert routes - set(GUARDS) == set(), "new routes: add them to GUARDS with who may call them"
    assert set(GUARDS) - routes == set(), "GUARDS lists routes that no longer exist"


@pytest.mark.parametrize(("method", "path"), [k for k, v in GUARDS.items() if v != PUBLIC])
def test_no_credentials_are_refused(client: TestClient, method: str, path: str) -> None:
    client.cookies.clear()
    client.params = {}
    status, _ = call(client, method, path)
    assert status in (401, 403), (method, path, status)


@pytest.mark.parametrize(("method", "path"), [k for k, v in GUARDS.items() if v != PUBLIC])
def test_the_wrong_role_is_refused(client: TestClient, method: str, path: str) -> None:
    guard = GUARDS[(method, path)]
    if guard == WEBHOOK:
        client.params = {"token": "not-the-rasa-token"}
        assert call(client, method, path)[0] == 401
        return
    if guard == CITIZEN:
        # A staff member is not a citizen: the staff cookie opens no citizen route.
        csrf = staff_sign_in(client, "adm")
        assert call(client, method, path, csrf)[0] == 401
        return
    citizen = client.post("/api/auth/sign-in", json={"citizen_id": "c-1001", "pin": "1234"}).json()["token"]
    client.cookies.clear()
    # A signed-in citizen (bearer token) reaches no staff or admin route.
    assert call(client, method, path, {"authorization": f"Bearer {citizen}"})[0] in (401, 403)
    if guard in ROLE_BELOW:
        csrf = staff_sign_in(client, ROLE_BELOW[guard])
        status, code = call(client, method, path, csrf)
        assert (status, code) == (403, "role_required"), (method, path, status, code)
    if guard in (ADMIN_TOKEN_OR_ADMIN, STAFF_TOKEN_OR_REVIEWER):
        client.cookies.clear()
        wrong = STAFF_TOKEN if guard == ADMIN_TOKEN_OR_ADMIN else ADMIN_TOKEN  # the other token
        assert call(client, method, path, {"authorization": f"Bearer {wrong}"})[0] in (401, 403)


def test_the_right_role_gets_through(client: TestClient) -> None:
    """The guards are not simply closed: each kind of route opens to the right caller."""
    client.cookies.clear()
    assert client.get("/api/staff/queue").status_code == 401
    staff_sign_in(client, "rev")
    assert client.get("/api/staff/queue").status_code == 200
    staff_sign_in(client, "adm")
    assert client.get("/api/staff/accounts").status_code == 200
    client.cookies.clear()
    assert client.get("/api/admin/models", headers={"authorization": f"Bearer {ADMIN_TOKEN}"}).status_code == 200
    token = client.post("/api/auth/sign-in", json={"citizen_id": "c-1001", "pin": "1234"}).json()["token"]
    assert client.get("/api/applications", headers={"authorization": f"Bearer {token}"}).status_code == 200
