"""`assistant evaluate nlu`: run the cross-validation runner in `.venv-rasa` and read its summary.

The runner (`assistant.evaluation.nlu_cv_runner`) imports Rasa, which only `.venv-rasa` has, so it
runs as a subprocess; its output (progress lines and Rasa's epoch bars) goes to a log file next to
the reports, and the last line is passed to a callback for the spinner.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.rasa_runtime.environment import rasa_executable, rasa_process_env
from assistant.settings import Settings

RUNNER_MODULE = "assistant.evaluation.nlu_cv_runner"
STOCK_CONFIG = Path(__file__).with_name("stock_config.yml")
LOG_NAME = "nlu_cv.log"
# Progress bars redraw with carriage returns; a line is whatever lies between \r or \n.
LINE_BREAKS = re.compile(r"[\r\n]+")

LineCallback = Callable[[str], None]


class NluEvaluationFailed(RuntimeError):
    """The runner exited with an error or wrote no summary; the message names the log."""


@dataclass(frozen=True)
class NluEvaluationRequest:
    """What to cross-validate and where the reports go (absolute paths)."""

    data: Path
    out: Path
    config: Path
    baseline: Path | None = STOCK_CONFIG
    folds: int = 5
    seed: int = 42
    epochs: int | None = None
    # One stratified split holding out this share instead of k folds (quick runs).
    holdout: float | None = None
    # With `holdout`: test at most this many examples per intent (prediction is the slow part).
    holdout_cap: int | None = None


@dataclass(frozen=True)
class NluEvaluationResult:
    """The summary the runner wrote, where it is, and how long the run took."""

    summary: dict[str, Any]
    summary_path: Path
    log_path: Path
    seconds: float


def runner_command(settings: Settings, request: NluEvaluationRequest) -> list[str]:
    """`.venv-rasa/bin/python -m assistant.evaluation.nlu_cv_runner ...` for the request."""
    python = rasa_executable(settings).with_name("python")
    command = [
        str(python), "-m", RUNNER_MODULE,
        "--data", str(request.data), "--config", str(request.config),
        "--folds", str(request.folds), "--seed", str(request.seed), "--out", str(request.out),
    ]
    if request.baseline is not None:
        command += ["--baseline", str(request.baseline)]
    if request.epochs is not None:
        command += ["--epochs", str(request.epochs)]
    if request.holdout is not None:
        command += ["--holdout", str(request.holdout)]
    if request.holdout_cap is not None:
        command += ["--holdout-cap", str(request.holdout_cap)]
    return command


def runner_env(settings: Settings) -> dict[str, str]:
    """Rasa's process environment, plus a matplotlib backend that needs no display."""
    return {**rasa_process_env(settings), "MPLBACKEND": "Agg"}


def load_summary(out: Path) -> dict[str, Any]:
    """The `summary.json` of a finished run in `out`."""
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def _stream(process: subprocess.Popen[bytes], log_path: Path, on_line: LineCallback | None) -> None:
    """Copy the runner's output to the log, reporting the last non-empty line as it arrives."""
    assert process.stdout is not None
    with open(log_path, "wb") as log:
        while chunk := process.stdout.read1(65536):  # type: ignore[attr-defined]
            log.write(chunk)
            log.flush()
            if on_line is None:
                continue
            lines = [line.strip() for line in LINE_BREAKS.split(chunk.decode("utf-8", "replace"))]
            last = next((line for line in reversed(lines) if line), "")
            if last:
                on_line(last)


def evaluate_nlu(
    settings: Settings, request: NluEvaluationRequest, on_line: LineCallback | None = None
) -> NluEvaluationResult:
    """Run the cross-validation (minutes to hours) and return its summary.

    Raises:
        RasaEnvironmentMissing: `.venv-rasa` has not been built.
        NluEvaluationFailed: the runner failed; its output is in `<out>/nlu_cv.log`.
    """
    command = runner_command(settings, request)
    request.out.mkdir(parents=True, exist_ok=True)
    log_path = request.out / LOG_NAME
    summary_path = request.out / "summary.json"
    summary_path.unlink(missing_ok=True)  # A stale summary must not pass for this run's.
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=settings.root_dir, env=runner_env(settings),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        _stream(process, log_path, on_line)
        code = process.wait()
    except BaseException:
        # Ctrl-C or an error while streaming: the runner must not keep training in the background.
        process.kill()
        process.wait()
        raise
    if code != 0 or not summary_path.exists():
        raise NluEvaluationFailed(f"The NLU cross-validation failed (exit {code}); see {log_path}")
    return NluEvaluationResult(load_summary(request.out), summary_path, log_path, time.monotonic() - started)
