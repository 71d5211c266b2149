"""The Server-Timing header value: one `name;dur=ms` per phase, in order."""

from __future__ import annotations

import re
import time

from assistant.web.server_timing import ServerTiming


def test_phases_in_order_with_their_durations() -> None:
    timing = ServerTiming()
    timing.start("rasa")
    time.sleep(0.02)
    timing.start("state")  # ends "rasa"
    timing.stop()
    timing.start("record")
    header = timing.header()  # ends "record"
    assert re.fullmatch(r"rasa;dur=\d+\.\d, state;dur=\d+\.\d, record;dur=\d+\.\d", header), header
    rasa_ms = float(header.split(",")[0].split("=")[1])
    assert 15.0 <= rasa_ms < 1000.0


def test_no_phases_no_value() -> None:
    assert ServerTiming().header() == ""
