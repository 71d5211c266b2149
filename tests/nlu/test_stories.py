"""Rasa test stories of the application forms (tests/stories/): happy paths and interruptions.

Runs in `.venv-rasa` against the trained model (`make test` trains first): the real `rasa test core
--fail-on-prediction-errors` for the dialogue, and the model's NLU on every user line of the stories
(`rasa test core` takes the intents written in a story, so a wrongly classified answer would pass it).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
STORIES = REPO_ROOT / "tests" / "stories"

pytestmark = pytest.mark.slow


def trained_model() -> Path:
    """The newest trained model (`make test` has just trained the current one)."""
    models = sorted((REPO_ROOT / "models").glob("rasa-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        pytest.fail("no trained model in models/: run `assistant train` first")
    return models[-1]


def story_turns() -> list[tuple[str, str, str]]:
    """(story, user text, intent) of every user step."""
    turns = []
    for path in sorted(STORIES.glob("*.yml")):
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]:
            turns += [(story["story"], step["user"].strip(), step["intent"]) for step in story["steps"] if "user" in step]
    return turns


def test_the_policies_follow_every_story(tmp_path: Path) -> None:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "test", "core", "--model", str(trained_model()), "--stories", str(STORIES),
         "--fail-on-prediction-errors", "--out", str(tmp_path), "--no-plot"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]


def test_the_model_understands_every_user_line_of_the_stories() -> None:
    from rasa.core.agent import Agent

    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    agent = Agent.load(str(trained_model()))

    async def parse_all() -> list[tuple[str, str, str, str]]:
        results = []
        for story, text, intent in story_turns():
            parsed = await agent.parse_message(text)
            results.append((story, text, intent, parsed["intent"]["name"]))
        return results

    wrong = [(story, text, f"{intent} != {got}") for story, text, intent, got in asyncio.run(parse_all()) if got != intent]
    assert wrong == []
