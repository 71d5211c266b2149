"""What a chat turn leaves for the console: analytics always; a miss for fallbacks, "can't help"
replies and low-confidence intents outside forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.records.database import Database
from assistant.staff.analytics import Analytics
from assistant.staff.misses import MissLog
from assistant.staff.recording import miss_response_texts, record_chat_turn
from tests.conftest import REPO_ROOT

DOMAIN = REPO_ROOT / "domain.yml"


@pytest.fixture()
def stores(tmp_path: Path) -> tuple[Analytics, MissLog]:
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    database.create_schema()
    return Analytics(database), MissLog(database)


def _turn(stores: tuple[Analytics, MissLog], text: str, intent: str, confidence: float, replies: list[str],
          form: str | None = None) -> None:
    record_chat_turn(*stores, sender="s1", text=text, lang="ko", channel="web", intent=intent, confidence=confidence,
                     active_form=form, requested_slot=None, services=[], replies=replies, domain_path=DOMAIN)


def test_miss_responses_come_from_the_domain_in_both_languages() -> None:
    kinds = miss_response_texts(DOMAIN)
    assert sorted(set(kinds.values())) == ["fallback", "out_of_scope"] and len(kinds) == 4


@pytest.mark.parametrize(("intent", "confidence", "reply", "form", "kind"), [
    ("nlu_fallback", 0.3, "아무 답", None, "fallback"),
    ("inform", 1.0, "죄송해요, 잘 이해하지 못했어요. 다른 말로 다시 말씀해 주시겠어요? 직원 상담을 원하시면 '상담원 연결'이라고 해 주세요.", None, "fallback"),
    ("out_of_scope", 0.99, "Sorry, I can't help with that. Please ask me about public services.", None, "out_of_scope"),
    ("ask_service_info", 0.45, "안내", None, "low_confidence"),
    ("inform", 0.3, "아기 이름을 알려 주세요.", "birth_registration_form", None),
    ("ask_service_info", 0.95, "안내", None, None),
])
def test_which_turns_are_misses(stores: tuple[Analytics, MissLog], intent: str, confidence: float, reply: str,
                                form: str | None, kind: str | None) -> None:
    _turn(stores, "구청 주차장 무료인가요", intent, confidence, [reply], form)
    rows = stores[1].open_questions()
    assert [r.kind for r in rows] == ([kind] if kind else [])
    assert stores[0].summary()["turns"] == 1


def test_recording_failures_never_reach_the_citizen(stores: tuple[Analytics, MissLog]) -> None:
    # A missing domain file raises inside; the turn is logged as not recorded, nothing propagates.
    record_chat_turn(*stores, sender="s", text="t", lang="ko", channel="web", intent=None, confidence=None,
                     active_form=None, requested_slot=None, services=[], replies=[], domain_path=Path("/nonexistent.yml"))


def test_turns_are_written_in_the_background_and_before_any_figure(tmp_path: Path) -> None:
    import time

    from sqlalchemy import func, select

    from assistant.staff.models import ChatEvent

    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    database.create_schema()

    def written() -> int:
        with database.session() as session:
            return int(session.scalar(select(func.count()).select_from(ChatEvent)) or 0)

    slow = Analytics(database, flush_after_s=60.0)
    slow.record_turn("s1", "web", "greet", 0.99, None, None, [], False)
    assert written() == 0 and slow.pending() == 1  # not on the chat's path
    assert slow.summary()["turns"] == 1  # a figure writes what is queued first
    assert written() == 1 and slow.pending() == 0

    quick = Analytics(database, flush_after_s=0.05)
    for _ in range(3):
        quick.record_turn("s2", "kiosk", "thank", 0.9, None, None, [], False)
    deadline = time.monotonic() + 5
    while written() < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert written() == 4 and quick.pending() == 0  # the background batch


def test_turns_survive_a_database_that_is_away(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")  # no schema yet: every write fails
    analytics = Analytics(database, flush_after_s=60.0)
    analytics.record_turn("s1", "web", "greet", 0.99, None, None, [], False)
    with pytest.raises(Exception):
        analytics.flush()
    assert analytics.pending() == 1  # kept for the next try
    database.create_schema()
    assert analytics.summary()["turns"] == 1
