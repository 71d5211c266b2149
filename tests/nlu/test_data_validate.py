"""`rasa data validate` finds nothing to warn about in the project's domain, data and config.

Runs in `.venv-rasa` (it runs Rasa's own validator)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_training_data_and_domain_validate_without_warnings() -> None:
    rasa = Path(sys.executable).with_name("rasa")
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run(
        [str(rasa), "data", "validate", "--fail-on-warnings",
         "--data", "nlu_data", "-d", "domain.yml", "-c", "config.yml"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
