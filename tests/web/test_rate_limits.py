"""Per-client rate limits on chat, sign-in and uploads: 429 with Retry-After and a ko/en message."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.records.demo_residents import DEMO_PIN
from assistant.web.limits import TokenBucketLimiter
from tests.web.module_app import module_app


def test_a_bucket_holds_its_burst_and_refills_at_its_rate() -> None:
    bucket = TokenBucketLimiter(per_minute=60, burst=3)
    assert [bucket.take("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take("a", now=0.0) == pytest.approx(1.0)  # one token a second: wait one second
    assert bucket.take("b", now=0.0) == 0.0  # another client has its own bucket
    assert bucket.take("a", now=1.0) == 0.0
    assert bucket.take("a", now=1.0) > 0


def test_memory_stays_bounded_with_many_clients() -> None:
    bucket = TokenBucketLimiter(per_minute=60, burst=2, max_clients=100)
    for i in range(1_000):
        bucket.take(f"client-{i}", now=float(i))  # each refilled long before the next arrives
    assert len(bucket._buckets) <= 101


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with module_app(tmp_path_factory.mktemp("limits"), ASSISTANT_RATE_LIMIT_CHAT_BURST=3,
                    ASSISTANT_RATE_LIMIT_CHAT_PER_MINUTE=1, ASSISTANT_RATE_LIMIT_SIGN_IN_BURST=3,
                    ASSISTANT_RATE_LIMIT_SIGN_IN_PER_MINUTE=1, ASSISTANT_RATE_LIMIT_UPLOADS_BURST=2,
                    ASSISTANT_RATE_LIMIT_UPLOADS_PER_MINUTE=1, ASSISTANT_TRUSTED_PROXIES="") as test_client:
        yield test_client


def chat(client: TestClient, sender: str, lang: str = "ko", **headers: str):  # type: ignore[no-untyped-def]
    return client.post("/api/chat", json={"sender": sender, "message": "안녕하세요", "metadata": {"lang": lang}},
                       headers=headers)


def test_chat_is_limited_per_conversation(client: TestClient) -> None:
    statuses = [chat(client, "talkative").status_code for _ in range(3)]
    assert 429 not in statuses  # Rasa is absent here: 503, but not limited
    limited = chat(client, "talkative", "en")
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["error"]["code"] == "rate_limited"
    assert limited.json()["error"]["message"].startswith("Too many requests")
    assert "초 뒤에" in chat(client, "talkative", "ko").json()["error"]["message"]
    assert chat(client, "someone-else").status_code != 429  # another conversation is not slowed down


def test_a_forged_forwarded_for_does_not_escape_the_limit(client: TestClient) -> None:
    for i in range(3):
        chat(client, "spoofer", **{"x-forwarded-for": f"10.0.0.{i}"})
    assert chat(client, "spoofer", **{"x-forwarded-for": "10.0.0.99"}).status_code == 429


def test_sign_in_attempts_are_limited_per_resident(client: TestClient) -> None:
    wrong = {"citizen_id": "c-1002", "pin": "0000"}
    assert [client.post("/api/auth/sign-in", json=wrong).status_code for _ in range(3)] == [401, 401, 401]
    limited = client.post("/api/auth/sign-in", json={"citizen_id": "c-1002", "pin": DEMO_PIN})
    assert limited.status_code == 429 and "retry-after" in limited.headers  # even the right PIN waits
    assert client.post("/api/auth/sign-in", json={"citizen_id": "c-1001", "pin": DEMO_PIN}).status_code == 200


def test_staff_sign_in_is_limited_too(client: TestClient) -> None:
    body = {"username": "nobody", "password": "wrong-password-1"}
    statuses = [client.post("/api/staff/auth/sign-in", json=body).status_code for _ in range(4)]
    assert statuses[-1] == 429
    assert "retry-after" in client.post("/api/staff/auth/sign-in", json=body).headers


def test_uploads_are_limited(client: TestClient) -> None:
    token = client.post("/api/auth/sign-in", json={"citizen_id": "c-2001", "pin": DEMO_PIN}).json()["token"]
    headers = {"authorization": f"Bearer {token}"}

    def upload():  # type: ignore[no-untyped-def]
        return client.post("/api/uploads", data={"sender": "uploader"}, headers=headers,
                           files={"file": ("a.txt", b"not a photo", "text/plain")})

    assert [upload().status_code != 429 for _ in range(2)] == [True, True]
    limited = upload()
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
