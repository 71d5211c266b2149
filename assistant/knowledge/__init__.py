"""Service guides: the schema staff edit, loading and validation, and chunking for retrieval."""

from assistant.knowledge.chunks import GuideChunk, chunk_guide
from assistant.knowledge.loader import GuideValidationError, load_guide, load_guides
from assistant.knowledge.schema import LocalizedText, ServiceGuide

__all__ = [
    "GuideChunk",
    "GuideValidationError",
    "LocalizedText",
    "ServiceGuide",
    "chunk_guide",
    "load_guide",
    "load_guides",
]
