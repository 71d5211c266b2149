"""Training batches that keep services apart, so no passage of a row's service is one of its negatives."""

from __future__ import annotations

import random

import pytest

pytest.importorskip("sentence_transformers")

import torch  # noqa: E402
from datasets import Dataset  # noqa: E402
from sentence_transformers.base.sampler import NoDuplicatesBatchSampler  # noqa: E402

from assistant.retrieval.batching import (  # noqa: E402
    RowServices,
    ServicesApartBatchSampler,
    false_negative_pairs,
    services_apart_sampler,
)


def _rows(questions: int = 400, services: int = 150, seed: int = 5) -> tuple[Dataset, list[RowServices]]:
    """Three triplets per question, as mining makes them; services are asked about several times."""
    rng = random.Random(seed)
    anchors, positives, negatives, row_services = [], [], [], []
    for number in range(questions):
        own = f"s{rng.randrange(services)}"
        positive = f"{own} 개요 {rng.randrange(2)}"
        for look_alike in rng.sample([f"s{i}" for i in range(services) if f"s{i}" != own], 3):
            anchors.append(f"질문 {number}")
            positives.append(positive)
            negatives.append(f"{look_alike} 대상 {rng.randrange(3)}")
            row_services.append((own, look_alike))
    return Dataset.from_dict({"anchor": anchors, "positive": positives, "negative": negatives}), row_services


def test_no_batch_holds_a_passage_of_a_rows_own_service() -> None:
    dataset, services = _rows()
    plain = list(NoDuplicatesBatchSampler(dataset, 16, drop_last=False, generator=torch.Generator(), seed=13))
    apart = list(ServicesApartBatchSampler(
        dataset, 16, drop_last=False, services=services, generator=torch.Generator(), seed=13))
    # The plain no-duplicates batches do contain such pairs: that is what this sampler is for.
    assert false_negative_pairs(plain, services) > 20
    assert false_negative_pairs(apart, services) == 0
    # Every row is trained on once, and nearly every batch is full.
    assert sorted(i for batch in apart for i in batch) == list(range(len(dataset)))
    assert sum(len(batch) == 16 for batch in apart) >= 0.9 * len(apart)


def test_identical_texts_still_never_share_a_batch() -> None:
    dataset, services = _rows()
    for batch in ServicesApartBatchSampler(dataset, 16, drop_last=False, services=services, seed=3):
        anchors = [dataset[i]["anchor"] for i in batch]
        assert len(anchors) == len(set(anchors))


def test_rows_may_share_a_negative_service() -> None:
    """Two questions pushed away from the same look-alike are not each other's false negatives."""
    dataset = Dataset.from_dict({"anchor": ["q1", "q2"], "positive": ["a", "b"], "negative": ["x1", "x2"]})
    services = [("A", "X"), ("B", "X")]
    assert [sorted(b) for b in ServicesApartBatchSampler(dataset, 2, drop_last=False, services=services)] == [[0, 1]]
    clash = [("A", "X"), ("X", "B")]
    assert len(list(ServicesApartBatchSampler(dataset, 2, drop_last=False, services=clash))) == 2


def test_the_trainer_hook_binds_the_services_and_checks_their_count() -> None:
    dataset, services = _rows(questions=10)
    sampler = services_apart_sampler(services)(
        dataset, batch_size=8, drop_last=False, valid_label_columns=None, generator=torch.Generator(), seed=0)
    assert isinstance(sampler, ServicesApartBatchSampler)
    with pytest.raises(ValueError, match="row services"):
        services_apart_sampler(services[:-1])(dataset, batch_size=8, drop_last=False)


def test_its_length_is_the_number_of_batches_it_makes() -> None:
    """The trainer plans its steps from the length: an estimate would leave the last rows untrained."""
    dataset, services = _rows(services=40)
    sampler = ServicesApartBatchSampler(
        dataset, 16, drop_last=False, services=services, generator=torch.Generator(), seed=13)
    length = len(sampler)
    batches = list(sampler)
    assert length == len(batches) > len(dataset) // 16 + 1
    assert sorted(i for batch in batches for i in batch) == list(range(len(dataset)))
