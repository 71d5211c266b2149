"""The load generator's bookkeeping: what it counts, what it writes, and that failures are recorded.

Running it against the served system is tests/integration/test_load_bench.py (it shares that
system with the other integration tests, so it costs seconds, not a Rasa start-up).
"""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path

from benchmarks.load import Recorder, bare_visit_for, headline, parse_server_timing, run_phase, write


def test_summary_counts_turns_by_kind_and_leaves_sign_in_out_of_turn_latency() -> None:
    recorder = Recorder("mix")
    for seconds in (0.1, 0.2, 0.3):
        recorder.add("question", seconds, True, 200)
    recorder.add("form", 0.05, True, 200)
    recorder.add("sign_in", 5.0, True, 200)
    recorder.add("upload", 0.4, False, 500, "Internal Server Error")
    summary = recorder.summary(elapsed_s=2.0)
    assert summary["turns"] == 5 and summary["throughput_turns_per_s"] == 2.5
    assert summary["latency"]["p99_ms"] == 400.0  # the 5 s sign-in is not a turn
    assert summary["by_kind"]["question"] == {"n": 3, "p50_ms": 200.0, "p95_ms": 300.0, "p99_ms": 300.0, "mean_ms": 200.0}
    assert summary["by_kind"]["sign_in"]["n"] == 1
    assert summary["errors"] == 1
    assert recorder.samples == [{"phase": "mix", "kind": "upload", "status": 500, "error": "Internal Server Error"}]


def test_server_timing_phases_are_parsed_and_summarised_per_kind() -> None:
    assert parse_server_timing("rasa;dur=41.5, state;dur=3, record;desc=x;dur=1.25, junk, bad;dur=x") == {
        "rasa": 41.5, "state": 3.0, "record": 1.25}
    recorder = Recorder("mix")
    recorder.add("question", 0.1, True, 200, phases={"rasa": 80.0, "state": 4.0})
    recorder.add("question", 0.2, True, 200, phases={"rasa": 100.0, "state": 6.0})
    recorder.add("question", 0.3, True, 200, phases={"rasa": 120.0})
    recorder.add("form", 0.1, True, 200)
    timing = recorder.summary(1.0)["server_timing_p50_ms"]
    assert timing["question"] == {"rasa": 100.0, "state": 5.0}
    assert timing["form"] == {}


def test_error_samples_are_capped_and_cut_short() -> None:
    recorder = Recorder("bare")
    for _ in range(50):
        recorder.add("chitchat", 0.01, False, 503, "x" * 1000)
    assert recorder.summary(1.0)["errors"] == 50
    assert len(recorder.samples) == 20 and all(len(s["error"]) == 300 for s in recorder.samples)


def test_a_server_that_is_not_there_is_counted_as_errors_with_samples() -> None:
    with socket.socket() as sock:  # a port nobody listens on: every turn is refused at once
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    result = asyncio.run(run_phase("bare", dead, bare_visit_for(dead), citizens=2, seconds=0.5, seed=1,
                                   think=(0.05, 0.1)))
    assert result["turns"] >= 2 and result["errors"] == result["turns"]
    assert result["error_samples"][0]["error"].startswith("ConnectError")
    assert len(result["load_average_before"]) == 3


def test_write_keeps_the_other_benchmark_groups_in_results_json(tmp_path: Path) -> None:
    (tmp_path / "results.json").write_text(json.dumps({"nlu": {"chat_turn": {"p50_ms": 1.0}}}), encoding="utf-8")
    phase = Recorder("x").summary(1.0) | {"load_average_after": [1.0, 1.0, 1.0]}
    phase["latency"] = {"n": 1, "p50_ms": 10.0, "p95_ms": 10.0, "p99_ms": 10.0, "mean_ms": 10.0}
    report = {
        "started": "now", "citizens": 2, "seconds": 3, "think_time_s": [1, 3],
        "phases": {"mix": phase, "bare_rasa": phase, "simple_via_service": phase},
        "ratios": {"simple_vs_bare_p50": 1.0},
    }
    path = write(report, tmp_path)
    assert json.loads(path.read_text(encoding="utf-8"))["phases"]["mix"]["latency"]["p50_ms"] == 10.0
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert results["nlu"] == {"chat_turn": {"p50_ms": 1.0}}
    assert results["load"] == headline(report) and results["load"]["bare_rasa_p50_ms"] == 10.0
