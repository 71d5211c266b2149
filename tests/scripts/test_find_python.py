"""scripts/find_python.sh: finds Python 3.10 for Rasa or says clearly how to get one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "find_python.sh"


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=60)


def test_an_interpreter_named_by_the_variable_is_used() -> None:
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    result = run(version, "RASA_PYTHON", env={**os.environ, "RASA_PYTHON": sys.executable})
    assert result.returncode == 0 and result.stdout.strip()


def test_a_wrong_interpreter_in_the_variable_is_an_error() -> None:
    result = run("3.10", "RASA_PYTHON", env={**os.environ, "RASA_PYTHON": sys.executable if sys.version_info[:2] != (3, 10) else "/bin/false"})
    assert result.returncode == 1
    assert "is not a working Python 3.10" in result.stderr


def test_no_python_at_all_explains_how_to_get_one(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path / "no-pyenv")}
    result = run("3.9", "RASA_PYTHON", env=env)  # no 3.9 outside pyenv on these machines
    if result.returncode == 0:  # a system python3.9 exists: the script found it, which is also right
        assert "3.9" in subprocess.run([result.stdout.strip(), "--version"], capture_output=True, text=True).stdout
        return
    assert result.returncode == 1
    assert "pyenv install 3.9" in result.stderr and "RASA_PYTHON=" in result.stderr


def test_pyenv_versions_are_searched(tmp_path: Path) -> None:
    fake = tmp_path / "pyenv" / "versions" / "3.10.99" / "bin"
    fake.mkdir(parents=True)
    target = fake / "python3.10"
    target.write_text("#!/bin/sh\necho 3.10\n")
    target.chmod(0o755)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path / "pyenv")}
    result = run("3.10", "RASA_PYTHON", env=env)
    assert result.returncode == 0
    assert result.stdout.strip() == str(target)
