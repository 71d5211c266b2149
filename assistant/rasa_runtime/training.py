"""Training the Rasa model with the real `rasa train` in `.venv-rasa`, skipped when nothing changed."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.rasa_runtime.environment import rasa_executable, rasa_process_env
from assistant.rasa_runtime.fingerprint import rasa_fingerprint
from assistant.settings import Settings

MODEL_PREFIX = "rasa-"
LineCallback = Callable[[str], None]


class TrainingFailed(RuntimeError):
    """`rasa train` exited with an error; the message points at its log."""


@dataclass(frozen=True)
class TrainingResult:
    """Where the model is and whether it was trained now or reused."""

    model_path: Path
    fingerprint: str
    trained: bool
    seconds: float


def model_path_for(settings: Settings, fingerprint: str) -> Path:
    """File name a model trained from inputs with this fingerprint gets."""
    return settings.models_dir / f"{MODEL_PREFIX}{fingerprint}.tar.gz"


def current_model(settings: Settings) -> Path | None:
    """The model matching the current inputs, else the newest model, else None."""
    exact = model_path_for(settings, rasa_fingerprint(settings))
    if exact.exists():
        return exact
    models = sorted(settings.models_dir.glob(f"{MODEL_PREFIX}*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def train(
    settings: Settings, force: bool = False, on_line: LineCallback | None = None, cache_dir: Path | None = None
) -> TrainingResult:
    """Train unless a model for the current fingerprint exists (or `force`).

    `cache_dir` replaces Rasa's graph cache (`.rasa/cache`, which reuses components whose inputs
    did not change): an empty folder makes every component train, as on a fresh clone.

    Raises:
        TrainingFailed: `rasa train` failed; its output is in `var/logs/`.
    """
    fingerprint = rasa_fingerprint(settings)
    target = model_path_for(settings, fingerprint)
    if target.exists() and not force:
        return TrainingResult(target, fingerprint, trained=False, seconds=0.0)
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    log_dir = settings.var_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"train-{fingerprint}.log"
    command = [
        str(rasa_executable(settings)), "train",
        "--config", "config.yml", "--domain", "domain.yml", "--data", "nlu_data",
        "--out", str(settings.models_dir), "--fixed-model-name", f"{MODEL_PREFIX}{fingerprint}",
        "--num-threads", "2",
    ]
    env = rasa_process_env(settings)
    if cache_dir is not None:
        env["RASA_CACHE_DIRECTORY"] = str(cache_dir)
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command, cwd=settings.root_dir, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
        )
        assert process.stdout is not None
        for line in process.stdout:
            log.write(line)
            if on_line is not None:
                on_line(line.rstrip())
        code = process.wait()
    if code != 0 or not target.exists():
        raise TrainingFailed(f"rasa train failed (exit {code}); see {log_path}")
    return TrainingResult(target, fingerprint, trained=True, seconds=time.monotonic() - started)
