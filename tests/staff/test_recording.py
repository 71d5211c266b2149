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
