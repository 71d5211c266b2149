"""Training runs started from the service (for an admin page): `assistant train` as a child process.

Training takes minutes and loads TensorFlow (through Rasa) and torch, so it never runs inside the
service process: each run is `python -m assistant.cli.main train ...` with its output in
`var/logs/jobs/<id>.log` and its state in `<id>.json`, readable by any process after a restart.
Nothing is activated by a job (`--no-activate`): activation is a separate, gated step.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.settings import Settings

TAIL_LINES = 20


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


def jobs_dir(settings: Settings) -> Path:
    """Where job logs and states live."""
    return settings.var_dir / "logs" / "jobs"


def start_training(
    settings: Settings, fine_tune_questions: Path | None = None, force: bool = False,
    rasa: bool = True, index: bool = True,
) -> TrainingJob:
    """Start `assistant train --no-activate` in the background; returns at once."""
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
    command.append("--no-activate")
    with open(folder / f"{job_id}.log", "wb") as log:
        process = subprocess.Popen(
            command, cwd=settings.root_dir, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "ASSISTANT_VAR_DIR": str(settings.var_dir), "COLUMNS": "120"},
            start_new_session=True,  # the service stopping must not kill a run half-way
        )
    job = TrainingJob(job_id, process.pid, command, time.time())
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
    exit_file = folder / f"{job_id}.exit"
    if exit_file.exists():
        code = int(exit_file.read_text() or "1")
        return TrainingJob(job.id, job.pid, job.command, job.started_at,
                           "succeeded" if code == 0 else "failed", code, tail)
    if not _alive(job.pid):
        # The service that watched it restarted meanwhile: the exit code is lost, the run is over.
        return TrainingJob(job.id, job.pid, job.command, job.started_at, "failed", None, tail)
    return TrainingJob(job.id, job.pid, job.command, job.started_at, "running", None, tail)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
