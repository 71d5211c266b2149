"""Guide versions: sync from files, drafts, review, publish (atomic file write), history diffs, rollback."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from assistant.records.database import Database
from assistant.staff.guides import GuideDesk, GuideProblems, WorkflowError
from assistant.staff.validation import check_guide_text, readable_diff
from tests.backing import database_url  # noqa: F401  (runs these tests on SQLite and PostgreSQL)
from tests.conftest import REPO_ROOT

GUIDE = "passport"


@pytest.fixture()
def desk(tmp_path: Path, database_url: str) -> Iterator[GuideDesk]:
    kb = tmp_path / "kb"
    kb.mkdir()
    for name in ("passport.yml", "birth-registration.yml"):
        shutil.copy(REPO_ROOT / "knowledge_base" / name, kb / name)
    database = Database(database_url)  # SQLite and PostgreSQL (tests/backing.py)
    database.create_schema()
    yield GuideDesk(database, kb)
    database.dispose()


def _edited(desk: GuideDesk, contact: str) -> str:
    data = yaml.safe_load(desk.file_text(GUIDE))
    data["contact"] = {"ko": contact}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_files_are_imported_once_and_again_when_changed_outside(desk: GuideDesk) -> None:
    assert desk.sync_from_files() == 2
    assert desk.sync_from_files() == 0
    path = desk.kb_dir / f"{GUIDE}.yml"
    path.write_text(_edited(desk, "git에서 고침"), encoding="utf-8")
    assert desk.sync_from_files() == 1
    history = desk.history(GUIDE)
    assert [v["number"] for v in history] == [2, 1] and history[0]["note"] == "changed in knowledge_base/"
    assert "+  ko: git에서 고침" in history[0]["diff"]


def test_draft_review_publish_writes_the_file_and_keeps_the_history(desk: GuideDesk) -> None:
    desk.sync_from_files()
    draft = desk.save_draft(GUIDE, _edited(desk, "여권과 02-000-0000"), "ed")
    again = desk.save_draft(GUIDE, _edited(desk, "여권과 02-111-1111"), "ed")
    assert again["id"] == draft["id"] and again["number"] == 2  # one open draft per guide
    with pytest.raises(WorkflowError):
        desk.publish(draft["id"], "rev")  # not sent for review
    assert "02-111-1111" in desk.diff_against_published(draft["id"])
    desk.submit(draft["id"], "ed")
    published = desk.publish(draft["id"], "rev")
    assert published.guide.contact.ko == "여권과 02-111-1111"
    assert "02-111-1111" in desk.file_text(GUIDE)
    assert not list(desk.kb_dir.glob(".*.tmp"))  # the temporary file was renamed, not left behind
    assert [v["status"] for v in desk.history(GUIDE)] == ["published", "published"]


def test_rollback_publishes_an_old_text_as_a_new_version(desk: GuideDesk) -> None:
    desk.sync_from_files()
    original = desk.file_text(GUIDE)
    draft = desk.save_draft(GUIDE, _edited(desk, "바뀐 연락처"), "ed")
    desk.submit(draft["id"], "ed")
    desk.publish(draft["id"], "rev")
    rolled = desk.rollback(GUIDE, 1, "rev")
    assert rolled.version["number"] == 3 and desk.file_text(GUIDE) == original
    with pytest.raises(LookupError):
        desk.rollback(GUIDE, 99, "rev")


def test_invalid_text_is_not_saved_and_names_its_fields(desk: GuideDesk) -> None:
    desk.sync_from_files()
    data = yaml.safe_load(desk.file_text(GUIDE))
    data["related_form"] = "passport"
    data["names"] = {"en": "Passport"}
    with pytest.raises(GuideProblems) as caught:
        desk.save_draft(GUIDE, yaml.safe_dump(data, allow_unicode=True), "ed")
    assert {p.field for p in caught.value.problems} >= {"names.ko", "related_form"}
    _, problems = check_guide_text(desk.file_text(GUIDE), "another-id")
    assert problems[0].field == "id"
    assert desk.history(GUIDE)[0]["status"] == "published"  # nothing new was stored


def test_a_new_guide_can_be_drafted_and_published(desk: GuideDesk) -> None:
    text = "id: library-card\nnames:\n  ko: 도서관 회원증\nsummary:\n  ko: 구립 도서관 회원증을 만드는 방법이에요.\n"
    draft = desk.save_draft("library-card", text, "ed")
    assert any(g["service_id"] == "library-card" for g in desk.list_guides("도서관"))
    desk.submit(draft["id"], "ed")
    desk.publish(draft["id"], "rev")
    assert (desk.kb_dir / "library-card.yml").read_text(encoding="utf-8") == text


def test_readable_diff_shows_only_what_changed() -> None:
    diff = readable_diff("a: 1\nb: 2\nc: 3\n", "a: 1\nb: 5\nc: 3\n", "v1", "v2")
    assert "-b: 2" in diff and "+b: 5" in diff and "--- v1" in diff
