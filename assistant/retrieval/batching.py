"""Training batches in which no passage is a false negative for another row's question.

The multiple-negatives loss treats every passage in a batch, except a row's own positive, as a wrong
answer for that row's question. Two questions about the same service in one batch, or a question
whose service is another row's mined negative, teach the model to push a question away from its own
service. sentence-transformers' no-duplicates sampler only keeps identical texts apart; this one also
keeps services apart. Imported only by fine-tuning: it pulls in torch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sentence_transformers.base.sampler import NoDuplicatesBatchSampler

# (service of the positive passage, service of the negative passage) of one training row.
RowServices = tuple[str, str]
# What a row's value clashes with in a batch: a row's positive service may be nobody else's passage,
# its negative service nobody else's answer; shared texts clash as in the parent, while two rows
# sharing a negative service do not clash.
CLASHES_WITH = {"text": ("text",), "positive": ("positive", "negative"), "negative": ("positive",)}


class ServicesApartBatchSampler(NoDuplicatesBatchSampler):
    """No-duplicates batches where a row's service is neither another row's positive nor negative.

    Two rows may share a negative service: neither passage is the other row's answer.
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int,
        drop_last: bool,
        services: Sequence[RowServices],
        valid_label_columns: list[str] | None = None,
        generator: Any = None,
        seed: int = 0,
    ) -> None:
        if len(services) != len(dataset):
            raise ValueError(f"{len(services)} row services for {len(dataset)} training rows")
        super().__init__(
            dataset, batch_size=batch_size, drop_last=drop_last,
            valid_label_columns=valid_label_columns, generator=generator, seed=seed,
        )
        self.services = list(services)
        self._batch_counts: dict[int, int] = {}
        self._counting = False

    def __len__(self) -> int:
        """Batches in this epoch's pass, counted by making them.

        Keeping services apart leaves a pass a few more, smaller batches than the dataset size
        suggests, and the trainer plans its steps from this length: the parent's estimate would
        leave the last rows of every epoch untrained.
        """
        if self._counting:
            return 0  # the counting pass below must not resample to reach a length
        epoch = int(getattr(self, "epoch", 0))
        if epoch not in self._batch_counts:
            self._counting = True
            try:
                self._batch_counts[epoch] = sum(1 for _ in self.__iter__())
            finally:
                self._counting = False
        return self._batch_counts[epoch]

    def _iter_one_pass(
        self,
        get_sample_values: Callable[[int], Any],
        has_overlap: Callable[[Any, Any], bool],
    ) -> Iterator[list[int]]:
        # The parent packs batches greedily and defers a row that conflicts with the batch so far;
        # only what counts as a conflict changes here.
        def row_values(index: int) -> set[tuple[str, Any]]:
            positive, negative = self.services[index]
            texts = {("text", value) for value in get_sample_values(index)}
            return texts | {("positive", positive), ("negative", negative)}

        def conflicts(values: set[tuple[str, Any]], batch: set[tuple[str, Any]]) -> bool:
            return any((other, name) in batch for kind, name in values for other in CLASHES_WITH[kind])

        yield from super()._iter_one_pass(row_values, conflicts)


def services_apart_sampler(services: Sequence[RowServices]) -> Callable[..., ServicesApartBatchSampler]:
    """A `batch_sampler` for the trainer's arguments, bound to the rows' services (in dataset order)."""

    def build(dataset: Any, **kwargs: Any) -> ServicesApartBatchSampler:
        return ServicesApartBatchSampler(dataset, services=services, **kwargs)

    return build


def false_negative_pairs(batches: Sequence[Sequence[int]], services: Sequence[RowServices]) -> int:
    """How many (row, other row) pairs in `batches` put a passage of the row's service among its negatives."""
    count = 0
    for batch in batches:
        for row in batch:
            own = services[row][0]
            count += sum(1 for other in batch if other != row and own in services[other])
    return count
