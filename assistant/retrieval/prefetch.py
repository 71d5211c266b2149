"""Query embeddings computed ahead, while Rasa is still working out what the citizen wants.

A question turn costs a query embedding (about 25-30 ms of CPU on this machine) inside the knowledge
action, after Rasa has classified the message. The chat gateway knows the text before Rasa does, so
it starts the embedding on a spare core when it forwards the message; by the time Rasa calls the
action the vector is usually ready. Turns that turn out not to be questions leave their vector unused
(evicted after `capacity` newer ones): CPU spent to take the embedding off the answer's latency.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

Encode = Callable[[str], np.ndarray]


class QueryPrefetch:
    """Vectors of recent message texts, computed in one background thread, each taken at most once."""

    def __init__(self, encode: Encode, capacity: int = 256, wait_s: float = 5.0) -> None:
        self._encode = encode
        self._capacity = capacity
        self._wait_s = wait_s
        self._lock = threading.Lock()
        self._pending: OrderedDict[str, Future[np.ndarray]] = OrderedDict()
        self._executor: ThreadPoolExecutor | None = None

    def start(self, text: str) -> None:
        """Begin embedding `text` in the background (a text already pending is not started twice)."""
        with self._lock:
            if text in self._pending:
                self._pending.move_to_end(text)
                return
            if self._executor is None:
                # One thread: prefetches never compete with each other for the two cores.
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="query-prefetch")
            self._pending[text] = self._executor.submit(self._encode, text)
            while len(self._pending) > self._capacity:
                _, evicted = self._pending.popitem(last=False)
                evicted.cancel()

    def take(self, text: str) -> np.ndarray | None:
        """The prefetched vector of `text`, or None when there is none to wait for.

        A prefetch still queued behind others is cancelled (None): computing it in the caller's
        thread is then quicker than waiting for the queue.
        """
        with self._lock:
            future = self._pending.pop(text, None)
        if future is None or future.cancel():
            return None
        try:
            return future.result(timeout=self._wait_s)
        except Exception:  # noqa: BLE001 - failed, cancelled or timed out: the caller computes it itself
            return None

    def pending(self) -> int:
        """How many prefetched texts are waiting to be taken."""
        with self._lock:
            return len(self._pending)

    def close(self) -> None:
        """Drop everything pending and stop the thread."""
        with self._lock:
            pending, self._pending = list(self._pending.values()), OrderedDict()
            executor, self._executor = self._executor, None
        for future in pending:
            future.cancel()
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
