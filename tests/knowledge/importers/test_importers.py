"""Importers of open data: BOKJIRO (one guide per 사업명) and Gov24, validated by the guide schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.knowledge import load_guides
from assistant.knowledge.importers.bokjiro import build_guides, import_bokjiro, read_chunks
from assistant.knowledge.importers.gov24 import import_gov24, read_rows
from tests.conftest import REPO_ROOT

SHARED = REPO_ROOT.parent / "shared" / "data"

CHUNKS = [
    {"text": "내용: 매달 10만 원을 드려요.", "metadata": {"id": "1", "사업명": "가상 수당", "항목": "내용", "대분류": "생계"}},
    {"text": "대상: 8세 미만 아동", "metadata": {"id": "1", "사업명": "가상 수당", "항목": "대상"}},
    {"text": "방법: 주민센터 방문", "metadata": {"id": "1", "사업명": "가상 수당", "항목": "방법"}},
    {"text": "문의: ☎129", "metadata": {"id": "1", "사업명": "가상 수당", "항목": "문의"}},
    {"text": "자주하는_질문: ...", "metadata": {"id": "1", "사업명": "가상 수당", "항목": "자주하는_질문",
                                          "질문": "언제 주나요?", "답변": "매달 25일이에요."}},
    {"text": "지급_기준: 소득 무관", "metadata": {"id": "1", "사업명": "가상 수당", "항목": "지급_기준"}},
    {"text": "고아 조각", "metadata": {"id": "2", "사업명": None, "항목": "자격"}},
]


def test_bokjiro_chunks_become_one_guide_per_service() -> None:
    guides, skipped = build_guides(CHUNKS, questions={"가상 수당": ["수당 언제 줘요?"]})
    assert len(guides) == 1 and skipped == ["chunk 2: no 사업명"]
    guide = guides[0]
    assert guide.names.ko == "가상 수당" and guide.id.startswith("bokjiro-")
    assert guide.summary.ko.startswith("내용")
    assert guide.eligibility and guide.how_to_apply and guide.contact
    assert guide.faqs[0].answer.ko == "매달 25일이에요."
    assert [s.title.ko for s in guide.sections] == ["지급_기준"]
    assert guide.questions.ko == ["수당 언제 줘요?"]


def test_bokjiro_round_trip_through_files(tmp_path: Path) -> None:
    source = tmp_path / "chunks.json"
    source.write_text(json.dumps(CHUNKS, ensure_ascii=False), encoding="utf-8")
    report = import_bokjiro(source, tmp_path / "kb")
    assert report.written == 1
    assert load_guides(tmp_path / "kb")[0].names.ko == "가상 수당"


@pytest.mark.parametrize("content", ["not json", '{"a": 1}', "[1, 2]"])
def test_bokjiro_rejects_wrong_files(tmp_path: Path, content: str) -> None:
    source = tmp_path / "bad.json"
    source.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError):
        read_chunks(source)


def test_gov24_rejects_a_csv_without_its_columns(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing columns"):
        read_rows(source)


@pytest.mark.skipif(not SHARED.exists(), reason="shared open data is not beside the repository")
def test_real_open_data_imports_completely(tmp_path: Path) -> None:
    bokjiro = import_bokjiro(SHARED / "bokjiro" / "vd_base_v2_refined.json", tmp_path / "bokjiro")
    assert bokjiro.written == 485 and len(bokjiro.skipped) == 15
    gov24 = import_gov24(SHARED / "gov24" / "services.csv", tmp_path / "gov24")
    assert gov24.written == 329 and gov24.skipped == []
    guides = load_guides(tmp_path / "gov24")
    assert all(g.names.ko for g in guides)
