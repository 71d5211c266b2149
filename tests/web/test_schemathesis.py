"""Schemathesis against the service's OpenAPI schema, in-process: no generated request gets a 5xx.

The app runs on a TestClient with a real records database and a copy of the knowledge base in a
temporary folder; Rasa is not running, so routes that need it must answer a clean 503 (the JSON
error body, nothing else). Requests carry a signed-in citizen's bearer token and a staff admin's
cookie and CSRF header, so the generated data reaches the route bodies, not only the guards.
Admin model routes (training, activation) stay unauthenticated here: they start processes.
At least MIN_REQUESTS requests are sent in total (counted, and asserted by the last test).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from assistant.records.demo_residents import DEMO_PIN
from tests.conftest import REPO_ROOT
from tests.web.module_app import module_app

MIN_REQUESTS = 1_000
EXAMPLES_PER_OPERATION = 30  # x ~45 operations: > 1,000 requests, ~1-2 minutes here
SENT: list[int] = []
# 503 is a correct answer only when Rasa (or the records database) is away, and only as our error body.
CLEAN_503 = {"assistant_unavailable", "database_unavailable", "upload_store_failed"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("schemathesis")
    shutil.copytree(REPO_ROOT / "knowledge_base", tmp / "kb")
    with module_app(tmp, ASSISTANT_KNOWLEDGE_BASE_DIR=tmp / "kb", ASSISTANT_RATE_LIMITS="false",
                    ASSISTANT_STAFF_TOKEN="staff-secret", ASSISTANT_ADMIN_TOKEN="admin-secret") as client:
        console = client.app.state.staff
        console.nlu_examples_path = tmp / "nlu" / "staff_examples.yml"  # never the repository's file
        console.directory.create("schema-admin", "schema-password-42", "admin")
        signed = client.post("/api/staff/auth/sign-in", json={"username": "schema-admin", "password": "schema-password-42"})
        citizen = client.post("/api/auth/sign-in", json={"citizen_id": "c-1001", "pin": DEMO_PIN})
        yield {
            "app": client.app,
            "cookies": {**dict(signed.cookies), **dict(citizen.cookies)},
            "headers": {"x-csrf-token": signed.json()["csrf_token"],
                        "authorization": f"Bearer {citizen.json()['token']}"},
        }


def call(case, served: dict):  # type: ignore[no-untyped-def]
    """Send one generated case with the citizen's and the staff admin's credentials."""
    headers = dict(served["headers"])
    cookies = served["cookies"]
    if case.path.startswith("/api/admin/") or case.path.endswith("/sign-out"):
        # No credentials: model training/activation must not start here, and a sign-out would end
        # the sessions every later request relies on.
        headers.pop("authorization")
        cookies = {}
    if case.path == "/webhook":
        case.query = {**(case.query or {}), "token": served["app"].state.action_webhook_token}
    if cookies:  # as a header: the ASGI transport does not take per-request cookies
        headers["cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    return case.call(headers={**(case.headers or {}), **headers})


def problem(case, response) -> str | None:  # type: ignore[no-untyped-def]
    """Why this response is wrong (a 5xx that is not a clean 503), or None."""
    if response.status_code == 503:
        code = "health" if case.path == "/health" else ((response.json().get("error") or {}).get("code"))
        return None if code in CLEAN_503 | {"health"} else f"unclean 503: {response.text[:300]}"
    if response.status_code >= 500:
        return f"{response.status_code}: {response.text[:300]}"
    return None


def test_no_generated_request_gets_a_5xx(served: dict) -> None:
    from hypothesis import given

    schema = schemathesis.openapi.from_asgi("/openapi.json", served["app"])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 35
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def exercise(case) -> None:  # type: ignore[no-untyped-def]
            try:
                response = call(case, served)
            except Exception as exc:  # noqa: BLE001 - the in-process app raised: that is a 500
                SENT.append(500)
                failures.append(f"{case.method} {case.formatted_path} body={str(case.body)[:200]!r}: raised {exc!r}")
                return
            SENT.append(response.status_code)
            why = problem(case, response)
            if why:
                failures.append(f"{case.method} {case.formatted_path} body={str(case.body)[:200]!r}: {why}")

        exercise()
    from collections import Counter

    print(f"\nschemathesis: {len(SENT)} requests over {len(operations)} operations; statuses {sorted(Counter(SENT).items())}")
    assert failures == [], "\n".join(failures[:20])
    assert len(SENT) >= MIN_REQUESTS, len(SENT)
