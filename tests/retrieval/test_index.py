"""KnowledgeIndex with BM25 only (dense retrieval is tested with the real model in test_hybrid.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.knowledge import load_guides
from assistant.retrieval.index import KnowledgeIndex, StaleIndexError
from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def guides():  # type: ignore[no-untyped-def]
    return load_guides(REPO_ROOT / "knowledge_base")


@pytest.fixture(scope="module")
def index(guides) -> KnowledgeIndex:  # type: ignore[no-untyped-def]
    return KnowledgeIndex.build(guides, embedder=None)


@pytest.mark.parametrize(
    ("query", "lang", "service_id"),
    [
        ("출생신고 기한이 언제까지인가요?", "ko", "birth-registration"),
        ("여권 재발급 수수료", "ko", "passport"),
        ("전입신고 어디서 해요", "ko", "move-in-report"),
        ("How do I register the birth of my baby?", "en", "birth-registration"),
    ],
)
def test_finds_the_right_guide(index: KnowledgeIndex, query: str, lang: str, service_id: str) -> None:
    hits = index.search(query, k=5, lang=lang, mode="bm25")
    assert service_id in [h.service_id for h in hits[:3]]


def test_snippet_comes_in_the_citizens_language(index: KnowledgeIndex) -> None:
    hit = index.search("passport fee", k=1, lang="en")[0]
    assert hit.lang == "en" and hit.title.isascii()


def test_empty_or_unknown_queries_return_nothing(index: KnowledgeIndex) -> None:
    assert index.search("   ", k=5) == []
    assert index.search("qqqzzzxxx", k=5) == []


def test_incremental_update_reindexes_only_the_changed_guide(guides, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = KnowledgeIndex.build(guides, embedder=None)
    changed = [g.model_copy(update={"summary": g.summary.model_copy(update={"ko": "무지개다리 특별 안내"})})
               if g.id == "passport" else g for g in guides]
    stats = index.update(changed)
    assert stats == {"added": 0, "changed": 1, "removed": 0, "unchanged": len(guides) - 1}
    assert index.search("무지개다리", k=1)[0].service_id == "passport"
    stats = index.update([g for g in changed if g.id != "passport"])
    assert stats["removed"] == 1
    assert all(h.service_id != "passport" for h in index.search("여권", k=10))


def test_save_and_load_round_trip(index: KnowledgeIndex, tmp_path: Path) -> None:
    folder = tmp_path / "index"
    index.save(folder)
    index.save(folder)  # saving over an existing index swaps it atomically
    loaded = KnowledgeIndex.load(folder, embedder=None)
    assert loaded.size == index.size
    query = "인감증명서 발급"
    assert [h.service_id for h in loaded.search(query)] == [h.service_id for h in index.search(query)]
    assert not any(p.name.startswith(".index-") for p in tmp_path.iterdir())


def test_index_from_another_model_is_stale(index: KnowledgeIndex, tmp_path: Path) -> None:
    folder = tmp_path / "index"
    index.save(folder)

    class OtherModel:
        model_id = "someone/else"

    with pytest.raises(StaleIndexError, match="rebuild"):
        KnowledgeIndex.load(folder, embedder=OtherModel())  # type: ignore[arg-type]
    shutil.rmtree(folder)
    with pytest.raises(FileNotFoundError):
        KnowledgeIndex.load(folder, embedder=None)


def test_index_is_current_tracks_guides_and_model(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from assistant.retrieval.builder import ensure_index, index_is_current

    kb = tmp_path / "kb"
    kb.mkdir()
    source = REPO_ROOT / "knowledge_base" / "passport.yml"
    (kb / "passport.yml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    index_dir = tmp_path / "index"
    assert not index_is_current(settings, kb, index_dir)
    ensure_index(settings, None, kb, index_dir)
    assert index_is_current(settings, kb, index_dir)
    (kb / "passport.yml").write_text(source.read_text(encoding="utf-8").replace("여권", "여권증", 1), encoding="utf-8")
    assert not index_is_current(settings, kb, index_dir)


def test_a_common_term_keeps_only_the_best_lexical_matches(index: KnowledgeIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.retrieval.index as index_module

    everything = index.search("신청 방법 여권 재발급", k=50, mode="bm25")
    monkeypatch.setattr(index_module, "LEXICAL_DEPTH", 5)  # "신청" alone matches hundreds of chunks
    kept = index.search("신청 방법 여권 재발급", k=50, mode="bm25")
    assert len(everything) > 5 and 1 <= len(kept) <= 5  # services of the 5 best chunks only
    assert kept[0].service_id == everything[0].service_id == "passport"
    assert [h.score for h in kept] == [h.score for h in everything[: len(kept)]]


def test_an_english_question_on_a_matched_korean_chunk_gets_the_english_section(index: KnowledgeIndex) -> None:
    hit = index.search("여권 수수료 fee", k=1, lang="en")[0]
    assert hit.service_id == "passport" and hit.lang == "en"
