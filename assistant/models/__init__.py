"""Model registry and roll-out: every trained artefact (Rasa model, retrieval index, embedding model)
with its version, data fingerprint and evaluation figures; the active ones; activation and rollback.

Nothing heavy is imported here; `registry` is plain JSON, `hotswap` loads models only when called.
"""

from assistant.models.registry import Artefact, ModelRegistry, RegistryError

__all__ = ["Artefact", "ModelRegistry", "RegistryError"]
