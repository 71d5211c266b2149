"""Any chat text, however odd, gets a clear answer and never a crash (hypothesis, in-process).

Rasa is absent here, so an accepted message ends in a clean 503; what matters is that nothing
else happens: no 500, every refusal is a JSON error in the citizen's language, and no response
carries the citizen's markup as a page could render it. tests/integration/test_chat_text.py sends
the same kinds of text through real Rasa and the actions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.web.text import clean_chat_text
from tests.web.module_app import module_app

MAX_CHARS = 2000
SCRIPTS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
           "javascript:alert(1)", "</textarea><script>", "{{7*7}}", "'; DROP TABLE applications; --"]
# Text a citizen could type, paste or a client could send: every Unicode category (emoji, Hangul,
# Arabic, combining marks, controls, NUL), lone surrogates included.
ANY_CHAR = st.characters(codec=None, categories=None)
CHAT_TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=300),
    st.text(st.characters(categories=("Cc", "Cf", "Zs", "Zl", "Zp")), max_size=50),  # controls and spaces only
    st.lists(st.sampled_from(SCRIPTS + ["등본", "😀", "👨\u200d👩\u200d👧", "مرحبا", "\u0000", "\ud800", "\udfff"]),
             max_size=12).map("".join),
    st.integers(MAX_CHARS - 2, MAX_CHARS + 5).map(lambda n: "가" * n),  # around the limit
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with module_app(tmp_path_factory.mktemp("chat-text"), ASSISTANT_RATE_LIMITS="false") as test_client:
        yield test_client


def post_raw(client: TestClient, path: str, body: dict, lang: str = "ko"):  # type: ignore[no-untyped-def]
    # json.dumps escapes lone surrogates as "\ud800", which JSON allows: the service must take them.
    return client.post(path, content=json.dumps(body).encode(), headers={
        "content-type": "application/json", "accept-language": lang})


def assert_clean(response, markup: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500 or response.status_code == 503, response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    body = response.json()
    if response.status_code >= 400:
        assert set(body["error"]) == {"code", "message"} and body["error"]["message"]
    for piece in markup:  # the citizen's markup never comes back verbatim (not even in an error)
        if "<" in piece:
            assert piece not in response.text


@given(text=CHAT_TEXT, lang=st.sampled_from(["ko", "en"]))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          derandomize=True, database=None)
def test_chat_never_crashes_on_any_text(client: TestClient, text: str, lang: str) -> None:
    response = post_raw(client, "/api/chat", {"sender": "prop", "message": text, "metadata": {"lang": lang}})
    assert_clean(response, [s for s in SCRIPTS if s in text])
    cleaned = clean_chat_text(text).strip()
    if not cleaned:
        assert response.status_code == 422 and response.json()["error"]["code"] == "empty_message"
    elif len(cleaned) > MAX_CHARS:
        assert response.status_code == 413 and response.json()["error"]["code"] == "message_too_long"
        assert str(MAX_CHARS) in response.json()["error"]["message"]
    else:
        assert response.status_code == 503  # accepted; only Rasa's absence stops it here


@given(text=CHAT_TEXT)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          derandomize=True, database=None)
def test_nlu_parse_never_crashes_on_any_text(client: TestClient, text: str) -> None:
    assert_clean(post_raw(client, "/api/nlu/parse", {"text": text}), [s for s in SCRIPTS if s in text])


@given(text=CHAT_TEXT)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          derandomize=True, database=None)
def test_kb_search_never_crashes_on_any_text(client: TestClient, text: str) -> None:
    response = client.get("/api/kb/search", params={"q": clean_chat_text(text)[:2000] or " "})
    assert response.status_code in (200, 422), response.text[:300]


def test_huge_bodies_are_refused_clearly(client: TestClient) -> None:
    response = post_raw(client, "/api/chat", {"sender": "prop", "message": "가" * 600_000}, "en")
    assert response.status_code == 413 and response.json()["error"]["code"] == "body_too_large"
    response = post_raw(client, "/api/chat", {"sender": "prop", "message": "가" * 5_000, "metadata": {"lang": "en"}})
    assert response.status_code == 413 and "2000 characters" in response.json()["error"]["message"]


def test_cleaning_keeps_what_people_write() -> None:
    assert clean_chat_text("등본 떼 주세요 😀\n다음 줄") == "등본 떼 주세요 😀\n다음 줄"
    assert clean_chat_text("👨\u200d👩\u200d👧") == "👨\u200d👩\u200d👧"  # joiners make one emoji
    assert clean_chat_text("a\u0000b\u202ec\ud800") == "abc\ufffd"
