"""The end-to-end chat scripts `assistant evaluate all` plays all pass against the served system."""

from __future__ import annotations

import pytest

from assistant.evaluation.conversations import run_chat_scripts
from tests.integration.conftest import RunningAssistant

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_every_chat_script_passes(assistant: RunningAssistant) -> None:
    results = run_chat_scripts(assistant.url)
    assert results and all(r.turns for r in results)
    assert [(r.name, r.problems) for r in results if not r.passed] == []
