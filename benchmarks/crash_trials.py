"""Kill -9 of the service during a submission: after a restart, one application or none, never two.

A real Rasa server and the assistant service run as two separate process groups on one var folder
(the way `assistant serve` runs them: Rasa in its own session). Each trial, a signed-in citizen
walks a resident-certificate request to its summary, says "네", and the service is killed with
SIGKILL at a chosen moment of that turn: after a delay (varied across trials from "before Rasa
called the action" to "after the reply"), or the instant the application row appears in the
database (the DB write has committed, the reply has not left). The service is restarted on the
same var folder and the citizen asks for their status: it must name the one application filed,
or say none was filed (and a new request must then file exactly one).

`python -m benchmarks.crash_trials --trials 20` writes reports/bench/crash_trials.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

from assistant.settings import REPO_ROOT

CERTIFICATE_TURNS = ("등본 떼 주세요", "네", "기본으로 해 주세요", "은행 제출용")
DEMO_CITIZENS = ("c-1001", "c-1002", "c-2001", "c-3001", "c-3002", "c-4001")
START_TIMEOUT_S = 300


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class System:
    """Rasa and the service as two separately started process groups on one var folder."""

    var_dir: Path
    port: int = field(default_factory=free_port)
    rasa_port: int = field(default_factory=free_port)
    rasa: subprocess.Popen | None = None
    service: subprocess.Popen | None = None
    service_starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "ASSISTANT_PORT": str(self.port), "ASSISTANT_RASA_PORT": str(self.rasa_port),
            "ASSISTANT_VAR_DIR": str(self.var_dir),
            # BM25 only: a certificate request needs no retrieval, and a restart without loading the
            # embedding model is what keeps 20 trials (and the test's two) short.
            "ASSISTANT_EMBEDDING_MODEL": "none",
            "ASSISTANT_INDEX_DIR": str(self.var_dir / "index"),
            "ASSISTANT_RATE_LIMITS": "false",
            "RASA_TELEMETRY_ENABLED": "false",
        }
        env.pop("DATABASE_URL", None)
        return env

    def start_rasa(self) -> None:
        """`rasa run` with the tracker store in the var folder, in its own session (like serve.py)."""
        from assistant.rasa_runtime.environment import rasa_executable, rasa_process_env
        from assistant.rasa_runtime.training import current_model
        from assistant.settings import Settings

        # The trial's own settings, without touching os.environ: the test runs inside pytest, and
        # changing the process environment would change every later test's settings.
        settings = Settings(port=self.port, rasa_port=self.rasa_port, var_dir=self.var_dir,
                            embedding_model="none", index_dir=self.var_dir / "index", rate_limits=False)
        model = current_model(settings)
        if model is None:
            raise RuntimeError("no trained Rasa model in models/: run `assistant train`")
        self.var_dir.mkdir(parents=True, exist_ok=True)
        command = [str(rasa_executable(settings)), "run", "--enable-api", "--interface", "127.0.0.1",
                   "--port", str(self.rasa_port), "--model", str(model), "--endpoints", "endpoints.yml",
                   "--credentials", "credentials.yml"]
        self.rasa = subprocess.Popen(command, cwd=REPO_ROOT, env=rasa_process_env(settings),
                                     stdout=open(self.var_dir / "rasa.out", "ab"), stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def start_service(self) -> None:
        """The service alone (uvicorn on `create_app`), in its own session so a kill hits it only."""
        self.service_starts += 1
        command = [sys.executable, "-m", "uvicorn", "--factory", "assistant.web.main:create_app",
                   "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]
        self.service = subprocess.Popen(command, cwd=REPO_ROOT, env=self.env(),
                                        stdout=open(self.var_dir / "service.out", "ab"), stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def wait_ready(self, timeout: float = START_TIMEOUT_S) -> float:
        """Seconds until /health answers 200 (Rasa ready, index loaded)."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            for name, process in (("service", self.service), ("rasa", self.rasa)):
                if process is not None and process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}: {self.tail()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=5).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"not ready in {timeout:.0f} s: {self.tail()}")

    def kill_service(self) -> None:
        """SIGKILL to the service's process group: no cleanup, no finally, no flush."""
        assert self.service is not None
        try:
            os.killpg(self.service.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.service.wait(timeout=30)

    def stop(self) -> None:
        """End both process groups (SIGTERM, then SIGKILL)."""
        for process in (self.service, self.rasa):
            if process is None or process.poll() is not None:
                continue
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(timeout=10)

    def tail(self) -> str:
        parts = []
        for name in ("service.out", "rasa.out"):
            path = self.var_dir / name
            if path.exists():
                parts.append(f"--- {name}\n" + path.read_text(errors="replace")[-2000:])
        return "\n".join(parts)

    def applications(self, citizen_id: str) -> list[tuple[str, str]]:
        """(receipt number, kind) of the citizen's applications, read straight from the database file."""
        with sqlite3.connect(self.var_dir / "assistant.db", timeout=30) as db:
            rows = db.execute("SELECT receipt_number, kind FROM applications WHERE citizen_ref = ? ORDER BY id",
                              (f"citizen:{citizen_id}",)).fetchall()
        return [(str(r[0]), str(r[1])) for r in rows]


def sign_in(http: httpx.Client, citizen_id: str) -> None:
    from assistant.records.demo_residents import DEMO_PIN

    response = http.post("/api/auth/sign-in", json={"citizen_id": citizen_id, "pin": DEMO_PIN})
    response.raise_for_status()


def say(http: httpx.Client, sender: str, message: str, attempts: int = 4) -> dict:
    """One chat turn; a 503 (Rasa busy on this loaded machine) is retried like a citizen would."""
    for attempt in range(attempts):
        response = http.post("/api/chat", json={"sender": sender, "message": message,
                                               "metadata": {"lang": "ko", "channel": "web"}})
        if response.status_code != 503 or attempt == attempts - 1:
            break
        time.sleep(3)
    response.raise_for_status()
    return response.json()


def texts(body: dict) -> str:
    return "\n".join(m.get("text") or "" for m in body.get("messages", []))


@dataclass
class Trial:
    """What one kill did and what the citizen was told."""

    mode: str
    delay_s: float | None
    submit_turn_answered: bool
    applications_after: int
    told: str  # "receipt" | "nothing_filed" | "wrong"
    resubmitted: int | None
    certificate_downloadable: bool | None
    restart_s: float
    ok: bool


def run_trial(system: System, citizen_id: str, mode: str, delay_s: float | None, tag: str) -> Trial:
    """One kill -9 during the submitting turn, a restart, and the citizen's status check."""
    session = {"sender": f"crash-{tag}-{random.randrange(16**8):08x}"}
    with httpx.Client(base_url=system.url, timeout=120) as http:
        sign_in(http, citizen_id)
        cookies = dict(http.cookies)
        for message in CERTIFICATE_TURNS:
            body = say(http, session["sender"], message)
        assert "발급할까요" in texts(body), texts(body)
    before = system.applications(citizen_id)
    answered: dict[str, object] = {}

    def submit() -> None:
        try:
            with httpx.Client(base_url=system.url, timeout=120, cookies=cookies) as http:
                answered["body"] = say(http, session["sender"], "네")
        except (httpx.HTTPError, OSError) as exc:
            answered["error"] = repr(exc)

    sender_thread = threading.Thread(target=submit)
    sender_thread.start()
    if mode in ("on_db_write", "after_db_write"):
        # Kill the moment the committed row is visible (the action has not answered Rasa yet), or a
        # moment later (the certificate being written, the reply on its way).
        deadline = time.monotonic() + 60
        while len(system.applications(citizen_id)) == len(before) and time.monotonic() < deadline \
                and sender_thread.is_alive():
            time.sleep(0.001)
    time.sleep(delay_s or 0.0)
    system.kill_service()
    sender_thread.join(timeout=130)
    system.start_service()
    restart_s = system.wait_ready()
    filed = system.applications(citizen_id)[len(before):]
    with httpx.Client(base_url=system.url, timeout=120) as http:
        sign_in(http, citizen_id)
        status = texts(say(http, session["sender"], "내 신청 현황 알려줘"))
        resubmitted, certificate = None, None
        if len(filed) == 1:
            told = "receipt" if filed[0][0] in status else "wrong"
            # Killed between the DB write and the PDF: the certificate must still be there to download.
            pdf = http.get(f"/api/applications/{filed[0][0]}/certificate.pdf")
            certificate = pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
            if not certificate:
                print(f"certificate download: {pdf.status_code} {pdf.text[:300]}", file=sys.stderr, flush=True)
        elif not filed:
            # No new receipt can be named; the citizen hears "none filed", or only their earlier ones.
            told = "nothing_filed" if ("접수된 신청이 없어요" in status if not before
                                       else all(r in status for r, _ in before)) else "wrong"
            # Nothing was filed: filing again must give exactly one application.
            for message in CERTIFICATE_TURNS + ("네",):
                body = say(http, session["sender"], message)
            resubmitted = len(system.applications(citizen_id)) - len(before)
        else:
            told = "wrong"
    ok = len(filed) <= 1 and told != "wrong" and resubmitted in (None, 1) and certificate in (None, True)
    return Trial(mode, delay_s, "body" in answered, len(filed), told, resubmitted, certificate,
                 round(restart_s, 1), ok)


def submitting_turn_seconds(system: System, rng: random.Random) -> float:
    """How long the submitting "네" of a certificate request takes on this machine (a warm-up citizen)."""
    with httpx.Client(base_url=system.url, timeout=120) as http:
        sign_in(http, "c-4001")
        sender = f"crash-warmup-{rng.randrange(16**8):08x}"
        for message in CERTIFICATE_TURNS:
            say(http, sender, message)
        started = time.monotonic()
        say(http, sender, "네")
        return time.monotonic() - started


def run(trials: int, var_dir: Path, seed: int = 9) -> dict[str, object]:
    """`trials` kills with varied timing; returns the counts and every trial."""
    rng = random.Random(seed)
    system = System(var_dir)
    results: list[Trial] = []
    try:
        system.start_rasa()
        system.start_service()
        system.wait_ready()
        # How long a submitting turn takes here, so the delays span it (before, during, after the write).
        turn_s = submitting_turn_seconds(system, rng)
        for number in range(trials):
            # Before the write (a delay into the turn), at the write, and after it.
            mode = ("delay", "on_db_write", "after_db_write")[number % 3]
            delay = {"delay": round(rng.uniform(0.0, 2.0 * turn_s), 3), "on_db_write": None,
                     "after_db_write": round(rng.uniform(0.0, 0.5), 3)}[mode]
            citizen = DEMO_CITIZENS[number % len(DEMO_CITIZENS)]
            trial = run_trial(system, citizen, mode, delay, str(number))
            results.append(trial)
            print(json.dumps(asdict(trial), ensure_ascii=False), flush=True)
    finally:
        system.stop()
    return {
        "trials": len(results),
        "submit_turn_s": round(turn_s, 3) if results else None,
        "lost_or_duplicated": sum(not t.ok for t in results),
        "filed": sum(t.applications_after == 1 for t in results),
        "nothing_filed": sum(t.applications_after == 0 for t in results),
        "median_restart_s": statistics.median(t.restart_s for t in results) if results else None,
        "results": [asdict(t) for t in results],
    }


def main() -> None:
    """Entry point: run the trials and write reports/bench/crash_trials.json."""
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "reports" / "bench" / "crash_trials.json")
    args = parser.parse_args()
    # Kept after the run (its logs explain a failed trial); one folder per run under the system temp.
    tmp = tempfile.mkdtemp(prefix="crash-trials-")
    summary = run(args.trials, Path(tmp) / "var")
    summary["var_dir"] = str(Path(tmp) / "var")
    summary["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps({k: v for k, v in summary.items() if k != "results"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
