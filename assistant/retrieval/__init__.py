"""Retrieval over service guides: BM25 over Kiwi morphemes fused with dense e5 vectors in FAISS.

Nothing heavy is imported here; models and indexes load in `KnowledgeIndex.load()` / `Embedder.load()`.
"""

from assistant.retrieval.index import KnowledgeIndex, SearchHit

__all__ = ["KnowledgeIndex", "SearchHit"]
