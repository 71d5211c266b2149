"""The replica board: small JSON files in `var/run/rasa/` that every process of one `assistant serve`
reads, so service workers (separate processes) know what the supervisor (the parent) and a model
swap (in whichever worker got the admin call) did.

- `replica-<port>.json`, written only by the supervisor: status, pid, restarts, last exit code, model.
- `rotation.json`, written under a file lock by whoever changes it: replicas out of rotation (being
  loaded with a new model), temporary replicas (blue/green), and the model each replica must come
  back with after a crash.

Files are replaced atomically (write, then rename), so a reader never sees half a file.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Rotation:
    """Which replicas take conversations, and with which model they restart."""

    out: set[int] = field(default_factory=set)
    temporary: dict[int, str] = field(default_factory=dict)  # port -> model file name
    models: dict[int, str] = field(default_factory=dict)  # port -> model path to restart with

    def to_json(self) -> dict[str, Any]:
        """JSON shape of the rotation file."""
        return {
            "out": sorted(self.out),
            "temporary": {str(p): m for p, m in self.temporary.items()},
            "models": {str(p): m for p, m in self.models.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Rotation:
        """Read the rotation file's JSON; unknown keys are ignored."""
        return cls(
            out={int(p) for p in data.get("out", [])},
            temporary={int(p): str(m) for p, m in (data.get("temporary") or {}).items()},
            models={int(p): str(m) for p, m in (data.get("models") or {}).items()},
        )


class ReplicaBoard:
    """Reads and writes the board of one served system (one `var/` folder)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def for_var_dir(cls, var_dir: Path) -> ReplicaBoard:
        """The board inside a runtime folder."""
        return cls(var_dir / "run" / "rasa")

    @property
    def rotation_path(self) -> Path:
        """Where the rotation is kept."""
        return self.folder / "rotation.json"

    def reset(self, models: dict[int, str]) -> None:
        """Start afresh (the supervisor at start-up): no stale replica states, everyone in rotation."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.glob("replica-*.json"):
            stale.unlink(missing_ok=True)
        with self._locked():
            self._write(self.rotation_path, Rotation(models=dict(models)).to_json())

    def publish_replica(self, port: int, info: dict[str, Any]) -> None:
        """The supervisor's view of one replica (status, pid, restarts, ...)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._write(self.folder / f"replica-{port}.json", {**info, "port": port, "updated": time.time()})

    def replicas(self) -> dict[int, dict[str, Any]]:
        """Every published replica state, by port; empty when no supervisor publishes here."""
        states: dict[int, dict[str, Any]] = {}
        for path in self.folder.glob("replica-*.json"):
            data = _read(path)
            if data is not None and "port" in data:
                states[int(data["port"])] = data
        return states

    def rotation(self) -> Rotation:
        """The current rotation (everyone in rotation when there is no file)."""
        data = _read(self.rotation_path)
        return Rotation.from_json(data) if data else Rotation()

    def update_rotation(self, change: Callable[[Rotation], None]) -> Rotation:
        """Read, change and write the rotation under the board's lock; returns the new rotation."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._locked():
            rotation = self.rotation()
            change(rotation)
            self._write(self.rotation_path, rotation.to_json())
            return rotation

    @property
    def swap_lock_path(self) -> Path:
        """File locked for a whole model swap, so two workers never roll models at once."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / "swap.lock"

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.folder / "rotation.lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @staticmethod
    def _write(path: Path, data: dict[str, Any]) -> None:
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, path)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
