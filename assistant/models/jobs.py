"""Training runs started from the service (for an admin page): `assistant train` as a child process.

Training takes minutes and loads TensorFlow (through Rasa) and torch, so it never runs inside the
service process: each run is `python -m assistant.cli.main train ...` with its output in
`var/logs/jobs/<id>.log` and its state in `<id>.json`, readable by any process after a restart.
Nothing is activated by a job (`--no-activate`): activation is a separate, gated step.

Two kinds: `full` trains the Rasa model and the index, `index` only the retrieval index (seconds
when the guides did not change: what the console's browser test runs). Each run ends with a quick
evaluation of what it built (`--evaluate-to`), whose HTML report the console links to; `train`
prints `[step i/n]` lines, from which the status derives a progress fraction.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from assistant.settings import Settings

TAIL_LINES = 20
KINDS = ("full", "index")
STEP_LINE = re.compile(r"\[step (\d+)/(\d+)\] (.*)")


@dataclass(frozen=True)
class TrainingJob:
    """State of one training run."""

    id: str
    pid: int
    command: list[str]
    started_at: float
    status: str = "running"  # running | succeeded | failed
    exit_code: int | None = None
    log_tail: tuple[str, ...] = ()
    kind: str = "full"
    # Steps done out of all (from the `[step i/n]` lines) and the current step's name.
    step: int = 0
    steps: int = 0
    step_label: str = ""
    report_ready: bool = False

    @property
    def progress(self) -> float:
        """0..1: finished steps over all steps (1 once the run succeeded)."""
        if self.status == "succeeded":
            return 1.0
        return (max(self.step - 1, 0) / self.steps) if self.steps else 0.0


def jobs_dir(settings: Settings) -> Path:
    """Where job logs and states live."""
    return settings.var_dir / "logs" / "jobs"


def report_dir(settings: Settings, job_id: str) -> Path:
    """Where a run's evaluation report (index.html and its plots) is written."""
    return jobs_dir(settings) / f"{job_id}-report"


def start_training(
    settings: Settings, fine_tune_questions: Path | None = None, force: bool = False,
    rasa: bool = True, index: bool = True, kind: str | None = None, evaluate: bool = False,
) -> TrainingJob:
    """Start `assistant train --no-activate` in the background; returns at once.

    Args:
        kind: `full` or `index` (overrides `rasa`/`index`); None keeps the flags as given.
        evaluate: end with a quick evaluation of what was built, into `report_dir`.
    """
    if kind is not None:
        if kind not in KINDS:
            raise ValueError(f"unknown training kind '{kind}' (expected one of {', '.join(KINDS)})")
        rasa, index = kind == "full", True
    kind = kind or ("full" if rasa else "index")
    job_id = time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
    folder = jobs_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "assistant.cli.main", "train"]
    if force:
        command.append("--force")
    command += [] if rasa else ["--no-rasa"]
    command += [] if index else ["--no-index"]
    if fine_tune_questions is not None:
        command += ["--fine-tune-questions", str(fine_tune_questions)]
    if evaluate:
        command += ["--evaluate-to", str(report_dir(settings, job_id))]
    command.append("--no-activate")
    with open(folder / f"{job_id}.log", "wb") as log:
        process = subprocess.Popen(
            command, cwd=settings.root_dir, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "ASSISTANT_VAR_DIR": str(settings.var_dir), "COLUMNS": "120"},
            start_new_session=True,  # the service stopping must not kill a run half-way
        )
    job = TrainingJob(job_id, process.pid, command, time.time(), kind=kind)
    (folder / f"{job_id}.json").write_text(json.dumps(asdict(job)), encoding="utf-8")
    # A thread waits for the child (no zombie) and leaves its exit code for `job_status`.
    _watch_exit(process, folder / f"{job_id}.exit")
    return job


def _watch_exit(process: subprocess.Popen[bytes], exit_file: Path) -> None:
    import threading

    def wait() -> None:
        exit_file.write_text(str(process.wait()), encoding="utf-8")

    threading.Thread(target=wait, name=f"train-job-{process.pid}", daemon=True).start()


def job_status(settings: Settings, job_id: str) -> TrainingJob:
    """The job's state and the last lines of its output.

    Raises:
        FileNotFoundError: no such job.
    """
    folder = jobs_dir(settings)
    if not job_id.replace("-", "").isalnum():
        raise FileNotFoundError(job_id)
    job = TrainingJob(**json.loads((folder / f"{job_id}.json").read_text(encoding="utf-8")))
    lines = (folder / f"{job_id}.log").read_text(encoding="utf-8", errors="replace").replace("\r", "\n").splitlines()
    tail = tuple(line for line in lines if line.strip())[-TAIL_LINES:]
    steps = [m for m in (STEP_LINE.search(line) for line in lines) if m]
    progress: dict[str, object] = {"log_tail": tail, "report_ready": (report_dir(settings, job_id) / "index.html").exists()}
    if steps:
        progress.update(step=int(steps[-1][1]), steps=int(steps[-1][2]), step_label=steps[-1][3].strip())
    exit_file = folder / f"{job_id}.exit"
    if exit_file.exists():
        code = int(exit_file.read_text() or "1")
        return replace(job, status="succeeded" if code == 0 else "failed", exit_code=code, **progress)  # type: ignore[arg-type]
    if not _alive(job.pid):
        # The service that watched it restarted meanwhile: the exit code is lost, the run is over.
        return replace(job, status="failed", exit_code=None, **progress)  # type: ignore[arg-type]
    return replace(job, status="running", **progress)  # type: ignore[arg-type]


def as_public(job: TrainingJob) -> dict[str, object]:
    """The job as the admin API returns it (with the progress fraction)."""
    return {**asdict(job), "progress": round(job.progress, 3)}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
