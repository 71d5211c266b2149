"""`make bench-load` in miniature against the served system: 2 citizens for a few seconds, every phase,
and the output file has every figure the issue asks for. So the benchmark cannot silently rot.

It uses the integration tests' served system (tests/integration/conftest.py) through `--url`, so it
costs seconds rather than another Rasa start-up; the full bench starts its own system the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.load import main
from tests.integration.conftest import RunningAssistant

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_load_bench_writes_throughput_latency_errors_and_the_ratio_to_bare_rasa(
    assistant: RunningAssistant, tmp_path: Path
) -> None:
    (tmp_path / "results.json").write_text(json.dumps({"nlu": {"serve_ready_s": 1.0}}), encoding="utf-8")
    main([
        "--url", assistant.url, "--rasa-url", f"http://127.0.0.1:{assistant.rasa_port}",
        "--citizens", "2", "--seconds", "3", "--baseline-seconds", "2", "--think-min", "0.2", "--think-max", "0.5",
        "--no-warm-up", "--out", str(tmp_path),
    ])
    report = json.loads((tmp_path / "load.json").read_text(encoding="utf-8"))
    assert report["citizens"] == 2 and report["think_time_s"] == [0.2, 0.5]
    for name in ("mix", "bare_rasa", "simple_via_service"):
        phase = report["phases"][name]
        assert phase["turns"] > 0 and phase["throughput_turns_per_s"] > 0, name
        assert phase["errors"] == 0, phase["error_samples"]
        assert 0 < phase["latency"]["p50_ms"] <= phase["latency"]["p95_ms"] <= phase["latency"]["p99_ms"], name
        assert len(phase["load_average_after"]) == 3
    assert set(report["phases"]["bare_rasa"]["by_kind"]) == {"chitchat"}
    # Turns through the service carry its Server-Timing account; bare Rasa turns do not.
    assert report["phases"]["simple_via_service"]["server_timing_p50_ms"]["chitchat"]["rasa"] > 0
    assert report["phases"]["bare_rasa"]["server_timing_p50_ms"]["chitchat"] == {}
    assert report["ratios"]["simple_vs_bare_p50"] > 0 and report["ratios"]["mix_vs_bare_p50"] > 0
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert results["nlu"] == {"serve_ready_s": 1.0}  # other benchmark groups are kept
    assert results["load"]["citizens"] == 2 and results["load"]["errors"] == 0
    assert results["load"]["turn"]["p95_ms"] > 0 and "simple_vs_bare_p50" in results["load"]["ratios"]
