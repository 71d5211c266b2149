"""Masking, accounts and throttling, the miss log, curation helpers, sessions, the create-admin CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from assistant.records.database import Database
from assistant.staff.accounts import AccountError, SignInThrottle, StaffDirectory
from assistant.staff.curation import add_nlu_examples, add_to_guide_text, known_intents
from assistant.staff.masking import mask_personal_data
from assistant.staff.misses import MissLog
from tests.conftest import REPO_ROOT


@pytest.fixture()
def database(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    db.create_schema()
    return db


@pytest.mark.parametrize(("text", "expected"), [
    ("주민번호 900101-1234567 입니다", "주민번호 900101-1****** 입니다"),
    ("9001011234567로 조회해 주세요", "900101-1******로 조회해 주세요"),
    ("연락처 010-1234-5678", "연락처 010-****-****"),
    ("전화 01012345678 이에요", "전화 010-****-**** 이에요"),
    ("메일은 kim@example.com", "메일은 ***@***"),
    ("여권 사진 규격", "여권 사진 규격"),
])
def test_personal_data_is_masked(text: str, expected: str) -> None:
    assert mask_personal_data(text) == expected


def test_passwords_are_argon2_and_names_unique(database: Database) -> None:
    directory = StaffDirectory(database)
    member = directory.create("Kim", "a-long-password", "editor")
    assert member.username == "kim" and member.can("editor") and not member.can("reviewer")
    assert directory.verify("kim", "a-long-password") == member
    assert directory.verify("kim", "wrong-password") is None and directory.verify("nobody", "x") is None
    with database.session() as session:
        from assistant.staff.models import StaffUser

        assert session.get(StaffUser, member.id).password_hash.startswith("$argon2id$")
    for args in (("kim", "a-long-password", "editor"), ("lee", "short", "editor"), ("lee", "a-long-password", "boss")):
        with pytest.raises(AccountError):
            directory.create(*args)


def test_throttle_counts_per_account_and_per_client() -> None:
    throttle = SignInThrottle(max_failures=2, window_s=60, per_client_max=3)
    throttle.failed("kim", "1.1.1.1")
    assert throttle.blocked_for("kim", "2.2.2.2") == 0
    throttle.failed("kim", "1.1.1.1")
    assert throttle.blocked_for("kim", "2.2.2.2") > 0  # the account, from any client
    throttle.succeeded("kim")
    throttle.failed("lee", "1.1.1.1")
    assert throttle.blocked_for("park", "1.1.1.1") > 0  # the client, for any account


def test_misses_are_masked_deduplicated_and_resolved(database: Database) -> None:
    log = MissLog(database)
    assert log.record("제 번호 010-9999-8888 인데 여권 언제 나와요", "retrieval_miss")
    assert not log.record("제 번호 010-9999-8888 인데 여권 언제 나와요", "low_confidence")  # same turn, twice
    assert not log.record("   ", "fallback") and not log.record("x", "unknown-kind")
    (group,) = log.groups()
    assert group["representative"] == "제 번호 010-****-**** 인데 여권 언제 나와요" and group["count"] == 1
    assert log.resolve(group["question_ids"], "dismissed", "dismissed") == 1
    assert log.groups() == [] and log.counts() == {"dismissed": 1}


def test_questions_join_a_guide_as_asked_questions_or_as_an_faq() -> None:
    text = (REPO_ROOT / "knowledge_base" / "passport.yml").read_text(encoding="utf-8")
    added = yaml.safe_load(add_to_guide_text(text, [("여권 사진 규격", "ko"), ("passport photo size", "en")], "question"))
    assert "여권 사진 규격" in added["questions"]["ko"] and "passport photo size" in added["questions"]["en"]
    faq = yaml.safe_load(add_to_guide_text(text, [("여권 사진 규격", "ko"), ("여권사진 크기", "ko")], "faq",
                                           {"ko": "가로 3.5cm, 세로 4.5cm예요."}))
    assert faq["faqs"][-1] == {"question": {"ko": "여권 사진 규격"}, "answer": {"ko": "가로 3.5cm, 세로 4.5cm예요."}}
    assert "여권사진 크기" in faq["questions"]["ko"]
    with pytest.raises(ValueError):
        add_to_guide_text(text, [("q", "ko")], "faq", {"ko": ""})


def test_nlu_examples_are_written_in_rasa_format_without_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "staff_examples.yml"
    assert add_nlu_examples(path, "ask_service_info", ["여권 사진 규격 [알려줘]", "도서관 회원증"]) == 2
    assert add_nlu_examples(path, "ask_service_info", ["도서관 회원증"]) == 0
    assert add_nlu_examples(path, "greet", ["안녕 하세용"]) == 1
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["version"] == "3.1"
    assert data["nlu"][0] == {"intent": "ask_service_info", "examples": "- 여권 사진 규격 알려줘\n- 도서관 회원증\n"}
    assert "ask_service_info" in known_intents(REPO_ROOT / "domain.yml")


def test_create_admin_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.cli.main import app
    from assistant.settings import get_settings

    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("ASSISTANT_STAFF_PASSWORD", "a-long-password")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["staff", "create-admin", "chief"])
        assert result.exit_code == 0, result.output
        again = CliRunner().invoke(app, ["staff", "create-admin", "chief"])
        assert again.exit_code == 2 and "taken" in again.output
        monkeypatch.delenv("ASSISTANT_STAFF_PASSWORD")
        prompted = CliRunner().invoke(app, ["staff", "create-admin", "deputy", "--role", "reviewer"],
                                      input="another-long-pw\nanother-long-pw\n")
        assert prompted.exit_code == 0, prompted.output
        database = Database(get_settings().effective_database_url)
        members = {m.username: m.role for m in StaffDirectory(database).list()}
        assert members == {"chief": "admin", "deputy": "reviewer"}
    finally:
        get_settings.cache_clear()
