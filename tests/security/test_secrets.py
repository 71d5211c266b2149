"""Secrets come from the environment only: none is committed, and the generated key stays out of git.

The scan reads the tracked files (git ls-files), so a secret pasted into any committed file fails
it. Tests may hold obviously fake tokens for their own throw-away servers; they are skipped, except
for private keys, which no file may hold.
"""

from __future__ import annotations

import re
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

# `password = "hunter2..."`, `api_key: 'abc...'`, `"secret_key": "..."`: a secret-ish name given a literal.
ASSIGNED_LITERAL = re.compile(
    r"""(?ix)\b[a-z_]*(secret|token(?!iz)|api_?key|password|passwd|private_?key|access_?key)[a-z_]*["']?\s*[:=]\s*"""
    r"""["'](?!\$\{)(?!(?-i:[A-Z][A-Z0-9_]+)["'])[^"'\s]{8,}["']""")  # not `${VAR}` nor the name of a variable
# `export ASSISTANT_SECRET_KEY=...` in shell snippets, Makefiles, docs and .env-style files.
ENV_ASSIGNMENT = re.compile(r"(?m)^\s*(export\s+)?[A-Z_]*(SECRET|TOKEN|PASSWORD|PASSWD|API_KEY|PRIVATE_KEY)[A-Z_]*=[^$\s<]{8,}")
PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")


def tracked_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, check=False)
    if out.returncode != 0:
        pytest.skip("not a git checkout")
    return [REPO_ROOT / name for name in out.stdout.decode().split("\0") if name]


def text_of(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return None if b"\0" in data[:4096] else data.decode("utf-8", errors="replace")


def test_no_secret_literal_is_committed() -> None:
    found = []
    for path in tracked_files():
        content = text_of(path)
        if content is None:
            continue
        relative = path.relative_to(REPO_ROOT).as_posix()
        if PRIVATE_KEY.search(content):
            found.append(f"{relative}: private key")
        if relative.startswith("tests/"):
            continue
        for pattern in (ASSIGNED_LITERAL, ENV_ASSIGNMENT):
            found += [f"{relative}: {m.group(0)[:80]}" for m in pattern.finditer(content)]
    assert found == []


def test_the_scan_would_catch_one() -> None:
    assert ASSIGNED_LITERAL.search('admin_token = "3f9a0c1e77b24d"')
    assert ASSIGNED_LITERAL.search('"secret_key": "abcdefgh12345"')
    assert ENV_ASSIGNMENT.search("export ASSISTANT_SECRET_KEY=abcdefgh12345")
    assert not ASSIGNED_LITERAL.search('KIWI_TOKENIZER = "kiwi_tokenizer.v1"')
    assert not ASSIGNED_LITERAL.search('token: ${ACTION_ENDPOINT_TOKEN}')
    assert not ASSIGNED_LITERAL.search('PASSWORD_ENV = "ASSISTANT_STAFF_PASSWORD"')


def test_no_key_or_env_file_is_tracked_and_they_are_ignored() -> None:
    names = [p.relative_to(REPO_ROOT).as_posix() for p in tracked_files()]
    assert [n for n in names if re.search(r"(^|/)\.env$|secret\.key$|\.pem$|\.p12$|id_rsa", n)] == []
    ignored = subprocess.run(["git", "check-ignore", "var/secret.key", ".env"], cwd=REPO_ROOT,
                             capture_output=True, text=True).stdout.split()
    assert ignored == ["var/secret.key", ".env"]


def test_the_key_comes_from_the_environment_or_is_generated_per_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.security import _read_or_create, master_key
    from assistant.settings import Settings

    monkeypatch.delenv("ASSISTANT_SECRET_KEY", raising=False)
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path / "var"))
    _read_or_create.cache_clear()
    generated = master_key(Settings())
    key_file = tmp_path / "var" / "secret.key"
    assert len(generated) >= 32 and key_file.read_text().strip().encode() == generated
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # owner only
    other = tmp_path / "other"
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(other))
    assert master_key(Settings()) != generated  # per install, never a shared default
    monkeypatch.setenv("ASSISTANT_SECRET_KEY", "from-the-environment-0123456789")
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path / "third"))
    assert master_key(Settings()) == b"from-the-environment-0123456789"
    assert not (tmp_path / "third" / "secret.key").exists()  # nothing written when the environment has it
