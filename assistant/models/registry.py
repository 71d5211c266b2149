"""The model registry: a JSON file under `var/` listing every artefact and the active one per kind.

Why a JSON file and not a table in the records database: the artefacts are files on this machine
(`models/*.tar.gz`, index folders, model folders), so their catalogue belongs next to them in `var/`;
`DATABASE_URL` may point at a PostgreSQL shared by several machines whose files differ. The CLI can
read it without the service's database or schema, and a developer can read it with `cat`. Writes
replace the file atomically under an exclusive `flock`, so the CLI and the service never see half
a file.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

KINDS = ("rasa", "index", "embedding")
FILE_NAME = "registry.json"
# Older active states kept for rollback.
HISTORY_LIMIT = 50


class RegistryError(RuntimeError):
    """A version that does not exist, a rollback with no history, or a damaged registry file."""


@dataclass(frozen=True)
class Artefact:
    """One registered model artefact.

    Attributes:
        kind: `rasa` (model tar.gz), `index` (retrieval index folder) or `embedding` (model id or folder).
        version: unique name, e.g. `rasa-0cf03e985a532cf1`, `index-3f2a…`, `embedding-base`.
        path: file, folder, or (for a hub/packaged embedding model) the model id.
        fingerprint: content fingerprint of the data it was built from.
        metrics: evaluation figures (`macro_f1` for Rasa, `recall_at_5` etc. for an index).
        created_at: ISO time, UTC.
        embedding: for an index, the version of the embedding model its vectors come from.
        notes: free text (how it was made).
    """

    kind: str
    version: str
    path: str
    fingerprint: str
    metrics: dict[str, float] = field(default_factory=dict)
    created_at: str = ""
    embedding: str | None = None
    notes: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Artefact":
        """Inverse of `asdict`, ignoring keys a newer version may add."""
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


def now_iso() -> str:
    """Current UTC time, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class ModelRegistry:
    """Read and change the registry file. Every method re-reads the file: other processes write it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_var_dir(cls, var_dir: Path) -> "ModelRegistry":
        """The registry of a runtime data folder (`var/registry.json`)."""
        return cls(var_dir / FILE_NAME)

    # ---- reading ---------------------------------------------------------------------------

    def _read(self) -> dict[str, Any]:
        if not self.path.exists():
            return {"artefacts": [], "active": {}, "history": []}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise RegistryError(f"{self.path} is not valid JSON: {exc}") from exc
        data.setdefault("artefacts", [])
        data.setdefault("active", {})
        data.setdefault("history", [])
        return data

    def artefacts(self, kind: str | None = None) -> list[Artefact]:
        """Registered artefacts, oldest first, optionally of one kind."""
        items = [Artefact.from_dict(a) for a in self._read()["artefacts"]]
        return [a for a in items if kind is None or a.kind == kind]

    def get(self, version: str) -> Artefact:
        """The artefact called `version`.

        Raises:
            RegistryError: no such version (the message lists what there is).
        """
        for artefact in self.artefacts():
            if artefact.version == version:
                return artefact
        known = ", ".join(a.version for a in self.artefacts()[-8:]) or "none registered yet"
        raise RegistryError(f"no model version '{version}' in {self.path} (latest: {known})")

    def find_by_fingerprint(self, kind: str, fingerprint: str) -> Artefact | None:
        """The newest artefact of `kind` built from data with this fingerprint."""
        matches = [a for a in self.artefacts(kind) if a.fingerprint == fingerprint]
        return matches[-1] if matches else None

    def active(self) -> dict[str, str]:
        """Active version per kind (kinds never activated are missing)."""
        return dict(self._read()["active"])

    def active_artefact(self, kind: str) -> Artefact | None:
        """The active artefact of `kind`, or None."""
        version = self.active().get(kind)
        return self.get(version) if version else None

    def history(self) -> list[dict[str, Any]]:
        """Earlier active states, oldest first: `{"at", "active", "reason"}`."""
        return list(self._read()["history"])

    # ---- writing ---------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[dict[str, Any]]:
        """Read-modify-write under an exclusive lock; the new content replaces the file atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_suffix(".lock")
        with open(lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data = self._read()
            yield data
            handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".registry-", suffix=".json")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=2)
            os.replace(temp, self.path)

    def register(self, artefact: Artefact) -> Artefact:
        """Add an artefact (or replace the one with the same version, e.g. new metrics)."""
        if artefact.kind not in KINDS:
            raise RegistryError(f"unknown artefact kind '{artefact.kind}' (expected one of {', '.join(KINDS)})")
        if not artefact.created_at:
            artefact = Artefact(**{**asdict(artefact), "created_at": now_iso()})
        with self._locked() as data:
            data["artefacts"] = [a for a in data["artefacts"] if a["version"] != artefact.version]
            data["artefacts"].append(asdict(artefact))
        return artefact

    def update_metrics(self, version: str, metrics: dict[str, float]) -> Artefact:
        """Merge evaluation figures into an artefact's."""
        artefact = self.get(version)
        merged = Artefact(**{**asdict(artefact), "metrics": {**artefact.metrics, **metrics}})
        with self._locked() as data:
            data["artefacts"] = [asdict(merged) if a["version"] == version else a for a in data["artefacts"]]
        return merged

    def set_active(self, versions: dict[str, str], reason: str = "activate") -> dict[str, str]:
        """Make these versions active (others keep theirs); the previous state goes to the history.

        Raises:
            RegistryError: a version is unknown or registered under another kind.
        """
        by_version = {a.version: a for a in self.artefacts()}
        for kind, version in versions.items():
            if version not in by_version or by_version[version].kind != kind:
                raise RegistryError(f"'{version}' is not a registered {kind} artefact")
        with self._locked() as data:
            previous = dict(data["active"])
            new = {**previous, **versions}
            if new != previous:
                data["history"].append({"at": now_iso(), "active": previous, "reason": reason})
                data["history"] = data["history"][-HISTORY_LIMIT:]
                data["active"] = new
            return dict(data["active"])

    def previous_active(self) -> dict[str, str]:
        """The active state before the current one (what `rollback` returns to).

        Raises:
            RegistryError: nothing was activated before.
        """
        history = self.history()
        if not history or not history[-1]["active"]:
            raise RegistryError("nothing to roll back to: no earlier active models in the registry")
        return dict(history[-1]["active"])

    def pop_active(self) -> dict[str, str]:
        """Return to the previous active state, dropping it from the history (rollback)."""
        with self._locked() as data:
            if not data["history"] or not data["history"][-1]["active"]:
                raise RegistryError("nothing to roll back to: no earlier active models in the registry")
            data["active"] = dict(data["history"].pop()["active"])
            return dict(data["active"])
