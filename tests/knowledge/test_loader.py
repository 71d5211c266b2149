"""Guide files: the default knowledge base is valid; broken files name file, field and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.knowledge import GuideValidationError, chunk_guide, load_guide, load_guides
from tests.conftest import REPO_ROOT

MINIMAL = """\
id: sample-service
names: {ko: 견본 민원, en: Sample service}
summary: {ko: 견본 요약이에요., en: A sample summary.}
"""


def test_default_knowledge_base_is_valid_and_bilingual() -> None:
    guides = load_guides(REPO_ROOT / "knowledge_base")
    assert len(guides) >= 30
    assert all(g.is_bilingual() for g in guides)
    ids = {g.id for g in guides}
    assert {"birth-registration", "move-in-report", "passport"} <= ids
    birth = next(g for g in guides if g.id == "birth-registration")
    assert birth.related_form == "birth_registration_form"


def test_missing_field_names_the_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "sample-service.yml"
    path.write_text("id: sample-service\nnames: {ko: 견본}\n", encoding="utf-8")
    with pytest.raises(GuideValidationError) as caught:
        load_guide(path)
    assert caught.value.path == path
    assert ("summary", "Field required") in caught.value.problems


def test_bad_values_give_reasons(tmp_path: Path) -> None:
    path = tmp_path / "sample-service.yml"
    path.write_text(MINIMAL + "category: spaceflight\nurl: ftp://x\nlast_reviewed: 2999-01-01\n", encoding="utf-8")
    with pytest.raises(GuideValidationError) as caught:
        load_guide(path)
    fields = {field for field, _ in caught.value.problems}
    assert {"category", "last_reviewed"} <= fields


def test_id_must_match_file_name(tmp_path: Path) -> None:
    path = tmp_path / "other-name.yml"
    path.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(GuideValidationError, match="must equal the file name"):
        load_guide(path)


def test_malformed_yaml_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "broken.yml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(GuideValidationError, match="not valid UTF-8 YAML"):
        load_guide(path)


def test_folder_reports_every_bad_file(tmp_path: Path) -> None:
    (tmp_path / "a-one.yml").write_text("id: a-one\n", encoding="utf-8")
    (tmp_path / "b-two.yml").write_text("names: 1\n", encoding="utf-8")
    with pytest.raises(GuideValidationError) as caught:
        load_guides(tmp_path)
    assert [name for name, _ in caught.value.problems] == ["a-one.yml", "b-two.yml"]


def test_chunks_cover_sections_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "sample-service.yml"
    path.write_text(MINIMAL + "fees: {ko: 무료예요., en: Free.}\n", encoding="utf-8")
    chunks = chunk_guide(load_guide(path))
    assert {(c.section, c.lang) for c in chunks} == {
        ("summary", "ko"), ("summary", "en"), ("fees", "ko"), ("fees", "en")
    }
    assert all(c.indexed_text().startswith(c.title) for c in chunks)
