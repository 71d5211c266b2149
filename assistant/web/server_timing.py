"""`Server-Timing` response header: where a request's time went, per phase.

Browsers show it in their developer tools; the load bench (`benchmarks/load.py`) reads it to split
a chat turn's latency into Rasa, state and recording time.
"""

from __future__ import annotations

import time


class ServerTiming:
    """Durations of a request's phases, as a `Server-Timing` header value."""

    def __init__(self) -> None:
        self.phases: list[tuple[str, float]] = []
        self._current: tuple[str, float] | None = None

    def start(self, name: str) -> None:
        """Begin timing `name` (ends the phase before it)."""
        self.stop()
        self._current = (name, time.perf_counter())

    def stop(self) -> None:
        """End the running phase, if any."""
        if self._current is not None:
            name, started = self._current
            self.phases.append((name, time.perf_counter() - started))
            self._current = None

    def header(self) -> str:
        """`name;dur=<ms>` pairs, comma-separated."""
        self.stop()
        return ", ".join(f"{name};dur={seconds * 1000:.1f}" for name, seconds in self.phases)
