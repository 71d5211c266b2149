"""Conversation tests: Rasa's test stories (`rasa test core` in `.venv-rasa`) and scripted
end-to-end conversations through a running service's `/api/chat`."""

from __future__ import annotations

import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from assistant.rasa_runtime.environment import rasa_executable, rasa_process_env
from assistant.settings import Settings

CHAT_SCRIPTS = Path(__file__).with_name("chat_scripts.yml")


@dataclass(frozen=True)
class StoryResult:
    """Outcome of `rasa test core` on the test stories."""

    stories: int
    failed: int
    seconds: float
    log_path: Path
    failed_names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ChatResult:
    """Outcome of one scripted conversation."""

    name: str
    turns: int
    passed: bool
    problems: list[str]
    seconds: float


def count_stories(folder: Path) -> list[str]:
    """Names of the stories in every YAML file of `folder`."""
    names: list[str] = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names += [s["story"] for s in data.get("stories") or []]
    return names


def run_test_stories(settings: Settings, model: Path, stories: Path, out: Path) -> StoryResult:
    """Run the real `rasa test core` (minutes: it loads the model) and count the failed stories.

    Raises:
        RasaEnvironmentMissing: `.venv-rasa` has not been built.
        RuntimeError: rasa test crashed (its output is in `out/rasa_test_core.log`).
    """
    out.mkdir(parents=True, exist_ok=True)
    log_path = out / "rasa_test_core.log"
    command = [str(rasa_executable(settings)), "test", "core", "--model", str(model), "--stories", str(stories),
               "--out", str(out), "--no-plot"]
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        code = subprocess.run(command, cwd=settings.root_dir, env=rasa_process_env(settings),
                              stdout=log, stderr=subprocess.STDOUT).returncode
    failed_file = out / "failed_test_stories.yml"
    if code != 0 or not failed_file.exists():
        raise RuntimeError(f"rasa test core failed (exit {code}); see {log_path}")
    failed = yaml.safe_load(failed_file.read_text(encoding="utf-8")) or {}
    failed_names = [s["story"] for s in (failed.get("stories") or []) if isinstance(failed, dict)]
    return StoryResult(len(count_stories(stories)), len(failed_names), time.monotonic() - started, log_path,
                       failed_names)


def _check_turn(body: dict[str, Any], expect: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if not body.get("messages"):
        problems.append("no answer")
    if "intent" in expect and (body.get("intent") or {}).get("name") != expect["intent"]:
        problems.append(f"intent {(body.get('intent') or {}).get('name')} != {expect['intent']}")
    if "form" in expect and body.get("active_form") != expect["form"]:
        problems.append(f"form {body.get('active_form')} != {expect['form']}")
    if "source" in expect and expect["source"] not in [s["service_id"] for s in body.get("sources") or []]:
        problems.append(f"{expect['source']} not cited")
    texts = "\n".join(m.get("text") or "" for m in body.get("messages") or [])
    if "says" in expect and expect["says"] not in texts:
        problems.append(f"reply lacks '{expect['says']}'")
    return problems


def run_chat_scripts(service_url: str, scripts: Path = CHAT_SCRIPTS) -> list[ChatResult]:
    """Play each scripted conversation against `/api/chat` of a running service.

    Raises:
        httpx.ConnectError: no service at `service_url`.
    """
    data = yaml.safe_load(scripts.read_text(encoding="utf-8"))
    results: list[ChatResult] = []
    with httpx.Client(base_url=service_url, timeout=90) as http:
        for script in data["conversations"]:
            sender = f"eval-{uuid.uuid4().hex[:10]}"
            problems: list[str] = []
            started = time.monotonic()
            if script.get("sign_in"):
                signed = http.post("/api/auth/sign-in", json={"citizen_id": script["sign_in"], "pin": "1234"})
                if signed.status_code != 200:
                    problems.append(f"sign-in failed ({signed.status_code})")
            for number, turn in enumerate(script["turns"], start=1):
                response = http.post("/api/chat", json={
                    "sender": sender, "message": turn["say"],
                    "metadata": {"lang": script.get("lang", "ko"), "channel": "web"}})
                if response.status_code != 200:
                    problems.append(f"turn {number}: HTTP {response.status_code}")
                    continue
                problems += [f"turn {number}: {p}" for p in _check_turn(response.json(), turn.get("expect") or {})]
            http.cookies.clear()
            results.append(ChatResult(script["name"], len(script["turns"]), not problems, problems,
                                      time.monotonic() - started))
    return results
