"""Fine-tuning the embedding model on labelled citizen questions, with sentence-transformers.

Citizens ask in words the guides do not use ("애기 낳으면 나라에서 뭐 줘요?"); near-duplicate
services (three kinds of childcare support) sit a hair apart in the general model's space. Training
on (question, a passage of the right service, the closest passage of a wrong service) triplets
with a multiple-negatives ranking loss pulls questions to their service and away from its look-alikes.

Pairs are mined with the current index: the positive is the right service's chunk the model
already finds closest (so training sharpens what is there rather than teaching a random section),
and the hard negatives are the best-ranked chunks of other services.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.retrieval.fusion import FusionWeights

if TYPE_CHECKING:  # the index pulls in numpy, FAISS and the guide schema
    from assistant.knowledge.chunks import GuideChunk
    from assistant.retrieval.index import KnowledgeIndex

Progress = Callable[[int, int], None]
# How far down the chunk ranking a question's positive and negatives are looked for.
MINING_DEPTH = 50


@dataclass(frozen=True)
class LabelledQuestion:
    """A citizen question and the service that answers it."""

    question: str
    service_id: str


@dataclass(frozen=True)
class TrainingTriplet:
    """One training example: question, a passage that answers it, a passage that does not."""

    anchor: str
    positive: str
    negative: str
    # Services of the two passages, so that batches can keep services apart (see `batching`).
    positive_service: str = ""
    negative_service: str = ""


@dataclass(frozen=True)
class FineTuneSettings:
    """Knobs of one fine-tuning run (defaults measured on the welfare QA tuning half)."""

    # A second epoch was measured inside the tuning half (train on one part, 575 questions of the
    # other): hybrid 0.786 / 0.943 / 0.850 -> 0.788 / 0.937 / 0.853 at BM25 share 0.2, no gain
    # for twice the CPU time.
    epochs: int = 1
    batch_size: int = 16
    # Three mined negatives per question and a learning rate of 5e-5 instead of one and 3e-5,
    # measured inside the welfare tuning half (fine-tuned on 431 questions, 575 others measured, BM25
    # share 0.2): recall@1 / @5 / MRR@10 0.786 / 0.944 / 0.850 -> 0.805 / 0.939 / 0.864. A question's
    # look-alike services are what it gets wrong, and each one mined is one more to push away.
    learning_rate: float = 5e-5
    warmup_ratio: float = 0.1
    negatives_per_question: int = 3
    # Passages are cut at 128 tokens: the title and the section's opening carry the topic, and
    # attention cost grows with the square of the length (256 tokens at batch 32 held ~18 GB).
    max_seq_length: int = 128
    # The 250k-row word embeddings and the lower encoder layers stay as they are: on CPU their
    # gradients and optimiser updates cost more than the rest, and the upper layers are where
    # the topic of a sentence is settled. Training all 12 was measured inside the tuning half (431
    # questions tuned, 575 measured, BM25 share 0.2): 0.800 / 0.944 / 0.863 against 0.805 / 0.939 /
    # 0.864, no better for 30 % more time. Nor were batches of 32 (more in-batch negatives):
    # 0.788 / 0.937 / 0.854, measured before the embedder read the model's prompts (no prefixes;
    # the kept recipe scored the same with and without them).
    frozen_layers: int = 6
    # Inverse temperature of the multiple-negatives loss (cosines are multiplied by it before the
    # softmax). sentence-transformers' default is 20; e5 itself was trained at 100. With 50, the
    # near-misses among look-alike services weigh more in the loss. Inside the welfare tuning half
    # (431 questions tuned, 575 measured, asked questions as their own channel): scale 20 best at
    # 0.821 / 0.946 / 0.875, scale 50 0.828 / 0.950 / 0.881, scale 100 0.809 / 0.943 / 0.870 (max form).
    loss_scale: float = 50.0
    seed: int = 13
    # Keep a row's service out of the other rows' passages in its batch (`batching`), so that the
    # loss never counts a passage of the right service as a wrong answer (`kb fine-tune
    # --services-apart`). With mined welfare triplets the no-duplicates sampler alone gives such a
    # passage to 3.2 % of the rows with 431 questions, 3.9 % with 646 and 4.8 % with 1,646. Inside
    # the welfare tuning half (BOKJIRO table rows imported as readable text, an import since
    # reverted; BM25 0.1, asked 0.2, pairs 0.05): 431 tuned / 575 measured 0.828 / 0.946 / 0.879 ->
    # 0.828 / 0.944 / 0.878; 646 tuned / 360 measured 0.828 / 0.933 / 0.876 -> 0.831 / 0.942 /
    # 0.878. On the cross-fitted held-out half (960 questions, product import) it was lower on all
    # three folds: pooled 0.834 / 0.972 / 0.894 against 0.847 / 0.975 / 0.902. So it stays off.
    services_apart: bool = False
    # BM25's share in the fused score for the tuned model, written to its `fusion.json`. Chosen by
    # cross-validation inside the welfare tuning half (tuned on one part, guides carrying that part's
    # questions, measured with `lexical_weight_sweep` on the other part's 575 questions). With the
    # first recipe and asked questions as ordinary chunks: 0.02, the packaged model's share, gave
    # recall@1 / @5 / MRR@10 0.763 / 0.906 / 0.831; 0.15 / 0.2 / 0.25 a plateau of 0.791 / 0.941 /
    # 0.853, 0.786 / 0.944 / 0.850, 0.788 / 0.941 / 0.852; 0.3 0.779 / 0.937 / 0.846. The tuned
    # model's cosines spread wider, so BM25 must weigh more to break near-ties. With loss scale 50
    # and the asked-questions channel at 0.2: 0.05 0.833 / 0.944 / 0.880, 0.1 0.828 / 0.950 /
    # 0.881, 0.15 0.826 / 0.950 / 0.880, 0.2 0.817 / 0.948 / 0.873.
    lexical_weight: float = 0.1
    # Weight of the asked-questions channel written to `fusion.json` (see `FusionWeights.asked_weight`);
    # with scale 50 and BM25 share 0.1, weights 0 / 0.1 / 0.2 / 0.3 gave recall@1 0.814 / 0.830 /
    # 0.828 / 0.823 and MRR@10 0.871 / 0.881 / 0.881 / 0.877.
    asked_weight: float | None = 0.2
    # Share of the morpheme-pairs channel written to `fusion.json` (see `FusionWeights.pairs`):
    # none unless asked for (`kb fine-tune --pairs-share`). For the welfare guides it was chosen
    # inside the tuning half (BM25 0.1, asked 0.2): 0 / 0.02 / 0.03 / 0.05 / 0.075 / 0.1 gave
    # recall@1 0.814 / 0.816 / 0.817 / 0.824 / 0.824 / 0.817 and MRR@10 0.870 / 0.872 / 0.874 /
    # 0.878 / 0.876 / 0.872; on the held-out half 0.05 moved the tuned model from 0.833 / 0.967 /
    # 0.890 to 0.841 / 0.969 / 0.895.
    pairs: float = 0.0


@dataclass(frozen=True)
class FineTuneResult:
    """Where the model went and what it took."""

    output_dir: Path
    triplets: int
    steps: int
    seconds: float
    final_loss: float | None


def mine_triplets(
    index: KnowledgeIndex,
    questions: Sequence[LabelledQuestion],
    negatives_per_question: int = FineTuneSettings.negatives_per_question,
) -> list[TrainingTriplet]:
    """Training triplets for `questions` from the index's current embeddings.

    Raises:
        ValueError: the index has no embeddings, or a question names a service it does not have.
    """
    if index.embedder is None:
        raise ValueError("fine-tuning needs an index with embeddings (lexical-only index given)")
    unknown = sorted({q.service_id for q in questions if index.service(q.service_id) is None})
    if unknown:
        raise ValueError(f"questions name services the index lacks: {', '.join(unknown[:5])}")
    vectors = index.embedder.encode_queries([q.question for q in questions])
    triplets: list[TrainingTriplet] = []
    for question, vector in zip(questions, vectors):
        ranked = index.nearest_chunks(vector, MINING_DEPTH)
        positive = next((c for c, _ in ranked if c.service_id == question.service_id), None)
        if positive is None:
            # The model does not find the service at all: its overview is the thing to learn.
            own = index.chunks_of(question.service_id)
            positive = next((c for c in own if c.section == "summary"), own[0])
        negatives: list[GuideChunk] = []
        seen_services: set[str] = set()
        for chunk, _ in ranked:
            if chunk.service_id == question.service_id or chunk.service_id in seen_services:
                continue
            seen_services.add(chunk.service_id)
            negatives.append(chunk)
            if len(negatives) == negatives_per_question:
                break
        for negative in negatives:
            triplets.append(TrainingTriplet(
                question.question, positive.indexed_text(), negative.indexed_text(),
                positive_service=question.service_id, negative_service=negative.service_id,
            ))
    return triplets


def fine_tune(
    base_model_path: str,
    triplets: Sequence[TrainingTriplet],
    output_dir: Path,
    settings: FineTuneSettings | None = None,
    progress: Progress | None = None,
) -> FineTuneResult:
    """Train a copy of `base_model_path` on `triplets` and save it to `output_dir`.

    e5's `query: ` / `passage: ` prefixes are applied through the trainer's prompts, the same
    ones the Embedder adds at search time. Runs on CPU; `progress(step, total)` after each step.
    """
    if not triplets:
        raise ValueError("no training triplets: give labelled questions the index can place")
    settings = settings or FineTuneSettings()
    # Heavy imports stay here: importing torch and datasets takes seconds.
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )
    from sentence_transformers.losses import MultipleNegativesRankingLoss
    from sentence_transformers.training_args import BatchSamplers
    from transformers import TrainerCallback

    started = time.monotonic()
    model = SentenceTransformer(base_model_path, device="cpu")
    model.max_seq_length = settings.max_seq_length
    freeze_lower_layers(model, settings.frozen_layers)
    dataset = Dataset.from_dict(
        {
            "anchor": [t.anchor for t in triplets],
            "positive": [t.positive for t in triplets],
            "negative": [t.negative for t in triplets],
        }
    )
    losses: list[float] = []
    batch_sampler: Any = BatchSamplers.NO_DUPLICATES
    if settings.services_apart and all(t.positive_service and t.negative_service for t in triplets):
        from assistant.retrieval.batching import services_apart_sampler

        batch_sampler = services_apart_sampler([(t.positive_service, t.negative_service) for t in triplets])

    class ReportProgress(TrainerCallback):  # type: ignore[misc]
        """Forwards the trainer's step count and loss to the caller's progress bar."""

        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            if progress is not None:
                progress(state.global_step, state.max_steps)

        def on_log(self, args: Any, state: Any, control: Any, logs: Any = None, **kwargs: Any) -> None:
            if logs and "loss" in logs:
                losses.append(float(logs["loss"]))

    checkpoints = output_dir.parent / f".{output_dir.name}-checkpoints"
    args = SentenceTransformerTrainingArguments(
        output_dir=str(checkpoints),
        num_train_epochs=settings.epochs,
        per_device_train_batch_size=settings.batch_size,
        learning_rate=settings.learning_rate,
        # A float below 1 is a share of the steps (transformers 5 replaced warmup_ratio so).
        warmup_steps=settings.warmup_ratio,
        # Identical questions or passages in one batch would count as each other's negatives.
        batch_sampler=batch_sampler,
        prompts={"anchor": "query: ", "positive": "passage: ", "negative": "passage: "},
        save_strategy="no",
        logging_steps=5,
        report_to=[],
        disable_tqdm=True,
        seed=settings.seed,
        use_cpu=True,
    )
    trainer = SentenceTransformerTrainer(
        model=model,
        args=args,
        train_dataset=dataset,
        loss=MultipleNegativesRankingLoss(model, scale=settings.loss_scale),
        callbacks=[ReportProgress()],
    )
    trainer.train()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    model.save(str(output_dir))
    FusionWeights(
        lexical=settings.lexical_weight, asked_weight=settings.asked_weight, pairs=settings.pairs
    ).write(output_dir)
    shutil.rmtree(checkpoints, ignore_errors=True)
    return FineTuneResult(
        output_dir=output_dir,
        triplets=len(triplets),
        steps=int(trainer.state.global_step),
        seconds=round(time.monotonic() - started, 1),
        final_loss=losses[-1] if losses else None,
    )


def freeze_lower_layers(model: Any, layers: int) -> int:
    """Stops training the word embeddings and the lowest `layers` encoder layers of a BERT-like
    sentence-transformers model; returns how many parameters stay trainable."""
    encoder = model[0].auto_model
    for parameter in encoder.embeddings.parameters():
        parameter.requires_grad = False
    for layer in encoder.encoder.layer[:layers]:
        for parameter in layer.parameters():
            parameter.requires_grad = False
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
