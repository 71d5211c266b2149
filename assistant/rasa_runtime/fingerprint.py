"""Content fingerprints: retrain or re-index only when the inputs really changed (not timestamps)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from assistant.settings import Settings


def fingerprint_files(paths: Iterable[Path], root: Path) -> str:
    """SHA-256 over the relative names and contents of files (folders are walked, sorted)."""
    digest = hashlib.sha256()
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        elif path.exists():
            files.append(path)
    for file in sorted(set(files)):
        digest.update(str(file.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def rasa_inputs(settings: Settings) -> list[Path]:
    """What a Rasa model is trained from: pipeline, domain, training data, custom NLU components."""
    root = settings.root_dir
    return [
        root / "config.yml",
        root / "domain.yml",
        root / "nlu_data",
        root / "assistant" / "nlu",
        root / "assistant" / "language",
        root / "requirements" / "rasa.in",
    ]


def rasa_fingerprint(settings: Settings) -> str:
    """Short fingerprint of the Rasa training inputs; it names the model file."""
    return fingerprint_files(rasa_inputs(settings), settings.root_dir)[:16]


def knowledge_fingerprint(settings: Settings) -> str:
    """Fingerprint of the knowledge base plus the embedding model that indexes it."""
    guides = fingerprint_files([settings.knowledge_base_dir], settings.root_dir)
    return hashlib.sha256(f"{guides}|{settings.embedding_model}".encode()).hexdigest()[:16]
