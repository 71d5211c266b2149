"""The developer's walkthrough of issue #8, as a new developer would do it, in one test.

In a temporary copy of the project's data (config, domain, NLU data, knowledge base; the code is
linked, the repository's files are never written), with the model `make test` trained as the model
in service:

1. the developer adds ten training examples to an NLU file;
2. runs `assistant train --no-activate` (the real `rasa train`: minutes);
3. runs `assistant evaluate all --quick` and reads the HTML report (names the new model, has the
   plots and the comparison with the active model);
4. starts `assistant serve` on the old model, keeps a conversation going in a thread, runs
   `assistant models activate <new>`: zero failed turns, the new model is live;
5. runs `assistant models rollback`: the old model is live again, still with zero failed turns.

Each step's time is printed (`pytest -s`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.models.registry import ModelRegistry
from tests.conftest import REPO_ROOT
from tests.integration.citizen import Citizen
from tests.integration.conftest import start_assistant, stop_assistant
from tests.integration.test_hot_swap import KeepChatting

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ADMIN_TOKEN = "walkthrough-admin-token"
# Copied (the developer edits these); code is linked so the Rasa process imports the real components.
DATA = ("config.yml", "domain.yml", "endpoints.yml", "credentials.yml", "nlu_data", "knowledge_base",
        "requirements/rasa.in", "tests/stories", "tests/data/retrieval")
CODE = ("assistant", "actions")
NLU_FILE = "nlu_data/nlu/services.yml"
TEN_EXAMPLES = """
- intent: ask_service_info
  examples: |
    - 인감증명서 발급하려면 본인이 꼭 가야 하나요?
    - 주민등록증 잃어버렸는데 재발급은 어디서 해요?
    - 기초연금 신청은 몇 살부터 할 수 있어요?
    - 장애인 등록 신청할 때 필요한 서류 알려주세요
    - 혼인신고는 두 사람이 같이 가야 하나요?
    - 사망신고는 언제까지 해야 돼요?
    - 청년 월세 지원 받을 수 있는 조건이 뭐예요?
    - 운전면허 갱신은 주민센터에서도 되나요?
    - 가족관계증명서도 무인발급기에서 뽑을 수 있나요?
    - 국민취업지원제도 신청 방법 좀 알려줘요
"""


def make_project(tmp: Path) -> Path:
    """A project folder with copies of the data and links to the code."""
    project = tmp / "project"
    for name in DATA:
        source, target = REPO_ROOT / name, project / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    for name in CODE:
        (project / name).symlink_to(REPO_ROOT / name, target_is_directory=True)
    return project


def project_env(project: Path, tmp: Path) -> dict[str, str]:
    """Settings that keep every file this test writes inside `tmp`."""
    env = {**os.environ,
           "ASSISTANT_ROOT_DIR": str(project), "ASSISTANT_VAR_DIR": str(tmp / "var"),
           "ASSISTANT_MODELS_DIR": str(tmp / "models"), "ASSISTANT_KNOWLEDGE_BASE_DIR": str(project / "knowledge_base"),
           "ASSISTANT_INDEX_DIR": str(tmp / "var" / "index"),
           "ASSISTANT_MODEL_CACHE_DIR": str(REPO_ROOT / "var" / "models"),  # the e5 weights, read only
           "ASSISTANT_ADMIN_TOKEN": ADMIN_TOKEN, "COLUMNS": "160", "RASA_TELEMETRY_ENABLED": "false"}
    env.pop("DATABASE_URL", None)
    return env


def assistant(env: dict[str, str], *args: str, timeout: float = 1800) -> tuple[float, str]:
    """Run `assistant ARGS` as the developer would; returns the seconds and the output."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "assistant.cli.main", *args], cwd=env["ASSISTANT_ROOT_DIR"],
                          env=env, capture_output=True, text=True, timeout=timeout)
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"assistant {' '.join(args)} exited {done.returncode}:\n{output[-4000:]}"
    return time.monotonic() - started, output


def seed_trained_model(tmp: Path, project: Path) -> None:
    """The model `make test` trained from the repository's data is this project's model in service:
    the same inputs give the same fingerprint, so `train` finds it instead of training it again."""
    from assistant.rasa_runtime.fingerprint import rasa_fingerprint
    from assistant.settings import Settings

    (tmp / "models").mkdir()
    fingerprint = rasa_fingerprint(Settings(root_dir=project))
    model = REPO_ROOT / "models" / f"rasa-{fingerprint}.tar.gz"
    if model.exists():  # otherwise the first `train` below trains it (minutes more)
        (tmp / "models" / model.name).symlink_to(model)
    if (REPO_ROOT / "var" / "index").is_dir():
        shutil.copytree(REPO_ROOT / "var" / "index", tmp / "var" / "index")


def test_add_examples_train_evaluate_activate_while_chatting_and_roll_back(tmp_path: Path) -> None:
    timings: dict[str, float] = {}
    project = make_project(tmp_path)
    env = project_env(project, tmp_path)
    seed_trained_model(tmp_path, project)
    repo_nlu = (REPO_ROOT / NLU_FILE).read_bytes()
    registry = ModelRegistry.for_var_dir(tmp_path / "var")

    # 0. What is in service today: the current model and index, registered and active.
    timings["first train (finds the model)"], _ = assistant(env, "train")
    old = registry.active()["rasa"]

    # 1. Ten new examples in an NLU file.
    with open(project / NLU_FILE, "a", encoding="utf-8") as nlu:
        nlu.write(TEN_EXAMPLES)

    # 2. Retrain: only the Rasa model changed (the index is found up to date).
    timings["assistant train"], output = assistant(env, "train", "--no-activate")
    assert "Rasa model trained" in output and "Index up to date" in output, output[-3000:]
    new = next(a.version for a in reversed(registry.artefacts("rasa")) if a.version != old)
    assert (tmp_path / "models" / f"{new}.tar.gz").exists()
    assert registry.active()["rasa"] == old  # --no-activate: still the old one in service

    # 3. Evaluate quickly and read the report.
    report_dir = tmp_path / "report"
    timings["assistant evaluate all --quick"], output = assistant(
        env, "evaluate", "all", "--quick", "--out", str(report_dir))
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    assert f"{new}.tar.gz" in html  # names the new model as the candidate
    assert "Quick run" in html
    for plot in ("per_intent_f1.png", "confusion.png", "recall_curve.png"):
        assert f'src="{plot}"' in html and (report_dir / plot).stat().st_size > 5000, plot
    comparison = html[html.index("Compared with the active models"):html.index("<h2>", html.index("Compared with"))]
    assert "rasa macro_f1" in comparison and old in comparison and "index recall_at_5" in comparison
    assert re.search(r"\d+ of \d+ stories pass", html), "the test stories ran"

    # 4. Serve the old model; activate the new one while a citizen keeps talking.
    # start_assistant picks the ports itself (so its /health polling finds the service): none in `env`.
    served_env = {k: v for k, v in env.items() if k not in ("ASSISTANT_PORT", "ASSISTANT_RASA_PORT")}
    running = start_assistant(tmp_path / "var", served_env)
    env["ASSISTANT_PORT"] = running.url.rsplit(":", 1)[1]  # where `assistant models` finds the service
    try:
        started = time.monotonic()
        health = running.wait_health(200)
        timings["assistant serve ready"] = time.monotonic() - started
        assert health["rasa"]["model_file"].endswith(f"{old}.tar.gz")
        me = Citizen(running, "ko", "c-1001")
        assert me.say("출생신고 하고 싶어요")["active_form"] == "birth_registration_form"
        chatter = KeepChatting(me)
        chatter.start()
        try:
            timings["assistant models activate"], _ = assistant(env, "models", "activate", new)
            assert httpx.get(f"{running.url}/health").json()["rasa"]["model_file"].endswith(f"{new}.tar.gz")
            assert registry.active()["rasa"] == new
            time.sleep(1.0)  # a few turns on the new model
            turns_on_new = chatter.turns
            # 5. And back.
            timings["assistant models rollback"], _ = assistant(env, "models", "rollback")
            assert httpx.get(f"{running.url}/health").json()["rasa"]["model_file"].endswith(f"{old}.tar.gz")
            assert registry.active()["rasa"] == old
            time.sleep(1.0)
        finally:
            chatter.stop.set()
            chatter.join(timeout=120)
        print(f"\nWALKTHROUGH: {chatter.turns} turns during activate + rollback ({turns_on_new} by the end of "
              f"the activation), {len(chatter.failures)} failed, slowest turn {chatter.slowest:.1f} s")
        for step, seconds in timings.items():
            print(f"  {step}: {seconds:.0f} s")
        assert chatter.failures == []
        assert chatter.turns >= 3
        assert me.say("출생신고 하고 싶어요")["messages"]  # the conversation still goes on
    finally:
        stop_assistant(running)
    assert (REPO_ROOT / NLU_FILE).read_bytes() == repo_nlu  # the repository's data was never touched
