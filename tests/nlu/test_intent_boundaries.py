"""The trained model on the intent boundaries cross-validation found hardest, with unseen sentences.

Runs in `.venv-rasa` against the newest trained model (`make test` trains first). Every sentence
below is absent from the training data (checked), so the model has to generalise: a status question
that names a benefit is still a status question, a form correction that names the procedure is still
an answer, and English small talk is out of scope rather than a form answer.
"""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import pytest
import yaml

from tests.nlu.test_stories import trained_model

REPO_ROOT = Path(__file__).resolve().parents[2]
NLU_DATA = REPO_ROOT / "nlu_data" / "nlu"

pytestmark = pytest.mark.slow

# (text, intent): pairs on either side of the same boundary, none of them in nlu_data/.
BOUNDARIES = [
    # Status of the citizen's own application vs a question about the service.
    ("제가 넣은 아동수당 신청 통과됐나요?", "check_application_status"),
    ("아동수당은 몇 살까지 받을 수 있어요?", "ask_service_info"),
    ("is my basic pension application approved yet?", "check_application_status"),
    ("who can get the basic pension?", "ask_service_info"),
    # A form answer or correction that names the procedure vs the wish to start it.
    ("출생 장소는 조산원이에요", "inform"),
    ("오늘 아기 출생신고 접수하려고 왔어요", "apply_birth_registration"),
    ("change the place of birth to the hospital", "inform"),
    ("I want to register my newborn now", "apply_birth_registration"),
    # English small talk vs form answers and service questions.
    ("what's 8 times 9?", "out_of_scope"),
    ("will it snow on Sunday?", "out_of_scope"),
    ("recommend a movie for tonight", "out_of_scope"),
    ("my new address is 12 Sejong-daero, Jongno-gu, Seoul", "inform"),
]


def training_texts() -> set[str]:
    """Every example text of the NLU data, entity markup removed, lower-cased."""
    texts = set()
    for path in NLU_DATA.glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            for line in (block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    texts.add(re.sub(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})", r"\1", line[2:]).lower())
    return texts


def test_the_boundary_sentences_are_not_training_examples() -> None:
    assert [text for text, _ in BOUNDARIES if text.lower() in training_texts()] == []


def test_the_model_keeps_the_hard_intent_boundaries() -> None:
    from rasa.core.agent import Agent

    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    agent = Agent.load(str(trained_model()))

    async def parse_all() -> list[tuple[str, str, str]]:
        return [(text, intent, (await agent.parse_message(text))["intent"]["name"]) for text, intent in BOUNDARIES]

    wrong = [f"{text!r}: {intent} != {got}" for text, intent, got in asyncio.run(parse_all()) if got != intent]
    assert wrong == []
