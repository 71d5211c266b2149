"""KnowledgeIndex: chunks of every guide, searchable by BM25 and (optionally) dense vectors, fused
and aggregated to services. Built once, saved to a folder, updated per guide."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.knowledge.chunks import GuideChunk, chunk_guide
from assistant.knowledge.schema import ServiceGuide
from assistant.language.korean import search_terms
from assistant.retrieval.dense import DenseIndex
from assistant.retrieval.fusion import FusionWeights, fuse_service_scores
from assistant.retrieval.lexical import LexicalIndex, term_pairs, terms_of
from assistant.retrieval.model_identity import canonical_model, same_model, weights_fingerprint

if TYPE_CHECKING:
    from assistant.retrieval.embedder import Embedder

FORMAT_VERSION = 1
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ServiceInfo:
    """What a search result shows about a service besides the matched section."""

    service_id: str
    title_ko: str
    title_en: str | None
    url: str | None
    related_form: str | None

    def title(self, lang: str) -> str:
        """Title in `lang`, Korean when there is no English name."""
        return (self.title_en if lang == "en" else None) or self.title_ko


@dataclass(frozen=True)
class SearchHit:
    """One service found for a query, with its best-matching section."""

    service_id: str
    title: str
    section: str
    snippet: str
    score: float
    confidence: float
    lang: str
    url: str | None
    related_form: str | None


def guide_hash(guide: ServiceGuide) -> str:
    """Content hash of a guide; a changed hash means its chunks must be re-indexed."""
    return hashlib.sha256(guide.model_dump_json().encode()).hexdigest()[:16]


# Lexical matches kept per query, best BM25 first (dense search keeps `FusionWeights.dense_depth`).
LEXICAL_DEPTH = 2000
# Morpheme-pair matches kept per query: at a share of 0.02-0.05 of the fused score only the best
# few hundred can move a service (the share was chosen with this cap).
PAIRS_DEPTH = 300


class KnowledgeIndex:
    """The searchable knowledge base. Use `build`/`load`, then `search`; `update` re-indexes changed guides."""

    def __init__(self, embedder: Embedder | None, weights: FusionWeights | None = None) -> None:
        self.embedder = embedder
        # Weights measured for this embedding model (a fine-tuned one brings its own).
        self.weights = weights or FusionWeights.for_model(embedder.model_id if embedder is not None else None)
        self._chunks: dict[int, GuideChunk] = {}
        self._terms: dict[int, list[str]] = {}
        self._services: dict[str, ServiceInfo] = {}
        self._guide_hashes: dict[str, str] = {}
        self._next_id = 0
        self._dense: DenseIndex | None = None
        self._order: list[int] = []
        self._lexical = LexicalIndex([])
        # BM25 over morpheme pairs of guide sections (built only while `weights.pairs` asks for
        # it) and the position in `_order` of each of its rows.
        self._pairs: LexicalIndex | None = None
        self._pair_positions: np.ndarray = np.empty(0, dtype=np.int64)
        self._position_service: np.ndarray = np.empty(0, dtype=object)
        self._position_service_no: np.ndarray = np.empty(0, dtype=np.int32)
        self._service_chunks: dict[str, list[int]] = {}

    # ---- building -------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        guides: Sequence[ServiceGuide],
        embedder: Embedder | None,
        progress: Progress | None = None,
    ) -> "KnowledgeIndex":
        """Index every guide from scratch."""
        index = cls(embedder)
        index.update(guides, progress=progress)
        return index

    def update(self, guides: Sequence[ServiceGuide], progress: Progress | None = None) -> dict[str, int]:
        """Make the index match `guides`: only added or changed guides are chunked and embedded,
        removed guides are dropped. Returns counts of added, changed, removed and unchanged guides."""
        wanted = {g.id: g for g in guides}
        changed = [g for g in guides if self._guide_hashes.get(g.id) != guide_hash(g)]
        removed = [sid for sid in self._guide_hashes if sid not in wanted]
        stats = {
            "added": sum(1 for g in changed if g.id not in self._guide_hashes),
            "changed": sum(1 for g in changed if g.id in self._guide_hashes),
            "removed": len(removed),
            "unchanged": len(guides) - len(changed),
        }
        self._drop_services([*removed, *(g.id for g in changed)])
        new_chunks = [c for g in changed for c in chunk_guide(g)]
        ids = np.arange(self._next_id, self._next_id + len(new_chunks), dtype=np.int64)
        self._next_id += len(new_chunks)
        texts = [c.indexed_text() for c in new_chunks]
        for chunk_id, chunk, terms in zip(ids.tolist(), new_chunks, terms_of(texts)):
            self._chunks[chunk_id] = chunk
            self._terms[chunk_id] = terms
        if self.embedder is not None and new_chunks:
            vectors = self.embedder.encode_passages(texts, progress=progress)
            if self._dense is None:
                self._dense = DenseIndex(vectors.shape[1])
            self._dense.add(ids, vectors)
        for guide in changed:
            self._guide_hashes[guide.id] = guide_hash(guide)
            self._services[guide.id] = ServiceInfo(
                guide.id, guide.names.ko, guide.names.en, guide.url, guide.related_form
            )
        self._refresh_lexical()
        return stats

    def _drop_services(self, service_ids: Sequence[str]) -> None:
        drop = set(service_ids)
        if not drop:
            return
        gone = [cid for cid, c in self._chunks.items() if c.service_id in drop]
        for cid in gone:
            del self._chunks[cid]
            del self._terms[cid]
        if self._dense is not None:
            self._dense.remove(np.asarray(gone, dtype=np.int64))
        for sid in drop:
            self._services.pop(sid, None)
            self._guide_hashes.pop(sid, None)

    def _refresh_lexical(self) -> None:
        self._order = sorted(self._chunks)
        self._lexical = LexicalIndex([self._terms[cid] for cid in self._order])
        self._position_service = np.asarray(
            [self._chunks[cid].service_id for cid in self._order], dtype=object
        )
        # The same as small integers, for grouping positions by service with numpy.
        numbers: dict[str, int] = {}
        self._position_service_no = np.asarray(
            [numbers.setdefault(sid, len(numbers)) for sid in self._position_service.tolist()], dtype=np.int32
        )
        self._service_chunks = {}
        for cid in self._order:
            self._service_chunks.setdefault(self._chunks[cid].service_id, []).append(cid)
        self._pairs = None
        if self._uses_pairs():
            self._refresh_pairs()

    def _uses_pairs(self) -> bool:
        # Fusion needs dense scores: a BM25-only index keeps the morpheme order as it is.
        return self.weights.pairs > 0 and self.embedder is not None

    def _refresh_pairs(self) -> None:
        # Asked questions stay out, as measured: the channel is about the guides' own phrases.
        # The pairs come from the cached terms, so nothing is analysed again.
        sections = [pos for pos, cid in enumerate(self._order) if not self._chunks[cid].is_asked_question]
        self._pair_positions = np.asarray(sections, dtype=np.int64)
        self._pairs = LexicalIndex([term_pairs(self._terms[self._order[pos]]) for pos in sections])

    # ---- facts ------------------------------------------------------------------------------

    @property
    def size(self) -> int:
        """Number of indexed chunks."""
        return len(self._chunks)

    @property
    def dense(self) -> DenseIndex | None:
        """The FAISS side (None without an embedding model): its kind, for reports and benchmarks."""
        return self._dense

    @property
    def service_count(self) -> int:
        """Number of indexed services."""
        return len(self._services)

    @property
    def model_id(self) -> str | None:
        """Embedding model the vectors came from (None: lexical only)."""
        return self.embedder.model_id if self.embedder is not None else None

    def service_ids(self) -> list[str]:
        """Ids of every indexed service."""
        return list(self._services)

    def service(self, service_id: str) -> ServiceInfo | None:
        """Display facts of one indexed service."""
        return self._services.get(service_id)

    def chunks_of(self, service_id: str) -> list[GuideChunk]:
        """Every indexed chunk of one service."""
        return [chunk for chunk in self._chunks.values() if chunk.service_id == service_id]

    def nearest_chunks(self, query_vector: np.ndarray, k: int) -> list[tuple[GuideChunk, float]]:
        """The `k` chunks nearest to a query vector with their cosines (mining training pairs)."""
        if self._dense is None:
            return []
        ids, cosines = self._dense.search(query_vector, k)
        return [(self._chunks[cid], cosine) for cid, cosine in zip(ids.tolist(), cosines.tolist())]

    # ---- searching --------------------------------------------------------------------------

    def search(
        self, query: str, k: int = 10, lang: str = "ko", mode: str = "hybrid", query_vector: np.ndarray | None = None
    ) -> list[SearchHit]:
        """Services best matching `query`, best first.

        Args:
            query: the citizen's words.
            k: how many services.
            lang: the citizen's language; snippets come from that language when the guide has it.
            mode: "hybrid", "bm25" or "dense" (the last two for evaluation).
            query_vector: the query's embedding when the caller already has it (batched evaluation).
        """
        if not self._chunks or not query.strip():
            return []
        lexical_best: dict[str, tuple[float, int]] = {}
        # Best chunk of any kind per service (confidence and snippet come from it) and, when the
        # weights keep asked questions apart, the best guide section and asked question separately.
        dense_best: dict[str, tuple[float, int]] = {}
        guide_best: dict[str, float] = {}
        asked_best: dict[str, float] = {}
        apart = self.weights.asked_weight is not None
        terms: list[str] = []
        if mode in ("hybrid", "bm25"):
            terms = search_terms(query)
            scores = self._lexical.scores(terms)
            matched = np.flatnonzero(scores > 0)
            if len(matched) > LEXICAL_DEPTH:
                # At 100k chunks a common term ("신청") matches tens of thousands of them; only the
                # best few hundred services can reach the top once fused, so only their chunks count.
                matched = matched[np.argpartition(scores[matched], -LEXICAL_DEPTH)[-LEXICAL_DEPTH:]]
            lexical_best = self._best_per_service(matched, scores[matched])
        pair_best: dict[str, tuple[float, int]] = {}
        if mode == "hybrid" and self._uses_pairs():
            pair_best = self._pair_scores(terms)
        if mode in ("hybrid", "dense") and self._dense is not None and self.embedder is not None:
            vector = query_vector if query_vector is not None else self.embedder.encode_queries([query])[0]
            ids, cosines = self._dense.search(vector, self.weights.dense_depth)
            for cid, cosine in zip(ids.tolist(), cosines.tolist()):
                chunk = self._chunks[cid]
                _keep_best(dense_best, chunk.service_id, cosine, cid)
                if apart:
                    channel = asked_best if chunk.is_asked_question else guide_best
                    channel[chunk.service_id] = max(cosine, channel.get(chunk.service_id, -1.0))
        fused = fuse_service_scores(
            {sid: s for sid, (s, _) in lexical_best.items()},
            guide_best if apart else {sid: s for sid, (s, _) in dense_best.items()},
            self.weights,
            asked_best,
            {sid: s for sid, (s, _) in pair_best.items()},
        )
        hits: list[SearchHit] = []
        for service_id, score in fused[:k]:
            best = dense_best.get(service_id) or lexical_best.get(service_id) or pair_best.get(service_id)
            assert best is not None
            chunk = self._best_chunk_for(service_id, best[1], lang, query)
            info = self._services[service_id]
            confidence = dense_best[service_id][0] if service_id in dense_best else 0.0
            hits.append(
                SearchHit(
                    service_id=service_id,
                    title=info.title(lang),
                    section=chunk.section,
                    snippet=chunk.text,
                    score=round(score, 6),
                    confidence=round(confidence, 4),
                    lang=chunk.lang,
                    url=info.url,
                    related_form=info.related_form,
                )
            )
        return hits

    def _pair_scores(self, terms: list[str]) -> dict[str, tuple[float, int]]:
        """Each service's best (morpheme-pair BM25 score, chunk id) over its guide sections."""
        if self._pairs is None:
            # Weights switched on after the last refresh (an evaluation sweep).
            self._refresh_pairs()
        assert self._pairs is not None
        scores = self._pairs.scores(term_pairs(terms))
        matched = np.flatnonzero(scores > 0)
        if len(matched) > PAIRS_DEPTH:
            matched = matched[np.argpartition(scores[matched], -PAIRS_DEPTH)[-PAIRS_DEPTH:]]
        return self._best_per_service(self._pair_positions[matched], scores[matched])

    def _best_per_service(self, positions: np.ndarray, scores: np.ndarray) -> dict[str, tuple[float, int]]:
        """Each service's best (score, chunk id) among chunk `positions`, without a Python loop over
        all of them: at 100k chunks a common term matches thousands."""
        if not len(positions):
            return {}
        best_first = np.argsort(-scores, kind="stable")
        numbers = self._position_service_no[positions[best_first]]
        _, first = np.unique(numbers, return_index=True)
        keep = best_first[first]
        return {
            str(self._position_service[pos]): (float(score), self._order[pos])
            for pos, score in zip(positions[keep].tolist(), scores[keep].tolist())
        }

    def _best_chunk_for(self, service_id: str, matched_id: int, lang: str, query: str) -> GuideChunk:
        """The matched chunk in the citizen's language when the guide has that section translated."""
        matched = self._chunks[matched_id]
        # A match on a previously asked question is evidence, not an answer: show the overview.
        wanted_section = "summary" if matched.is_asked_question else matched.section
        if matched.lang == lang and wanted_section == matched.section:
            return matched
        fallback = matched
        for chunk in (self._chunks[cid] for cid in self._service_chunks.get(service_id, ())):
            if chunk.section == wanted_section:
                if chunk.lang == lang:
                    return chunk
                fallback = chunk
        return fallback

    # ---- persistence ------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write the index atomically: a reader sees the old folder or the new one, never half."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".index-", dir=folder.parent))
        records = [
            {"id": cid, **asdict(self._chunks[cid]), "terms": self._terms[cid]} for cid in sorted(self._chunks)
        ]
        with open(staging / "chunks.jsonl", "w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        (staging / "services.json").write_text(
            json.dumps([asdict(s) for s in self._services.values()], ensure_ascii=False), encoding="utf-8"
        )
        if self._dense is not None:
            self._dense.save(staging / "dense.faiss")
        manifest = {
            "format": FORMAT_VERSION,
            # Written as an absolute path for a folder: a relative name means nothing to a process
            # started in another working directory.
            "embedding_model": canonical_model(self.model_id),
            # A model folder can get new weights under the same name (`kb fine-tune --out` again).
            "embedding_weights": weights_fingerprint(self.model_id),
            "guides": self._guide_hashes,
            "next_id": self._next_id,
            "chunks": self.size,
            "saved_at": time.time(),
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        _swap_folder(staging, folder)

    @classmethod
    def load(cls, folder: Path, embedder: Embedder | None) -> "KnowledgeIndex":
        """Read a folder written by `save`.

        Raises:
            StaleIndexError: the folder was built by another embedding model or format.
        """
        manifest = read_manifest(folder)
        wanted_model = embedder.model_id if embedder is not None else None
        if not manifest_serves(manifest, wanted_model):
            # Same folder, other weights (not merely an older index format).
            reweighted = canonical_model(manifest.get("embedding_model")) == canonical_model(
                wanted_model) and manifest.get("embedding_weights") != weights_fingerprint(wanted_model)
            changed = " (its weights have changed since)" if reweighted else ""
            raise StaleIndexError(
                f"index in {folder} was built with {manifest.get('embedding_model')!r}{changed}, "
                f"the service uses {wanted_model!r}: rebuild it with `assistant kb index`"
            )
        index = cls(embedder)
        with open(folder / "chunks.jsonl", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                cid = record.pop("id")
                index._terms[cid] = record.pop("terms")
                index._chunks[cid] = GuideChunk(**record)
        for info in json.loads((folder / "services.json").read_text(encoding="utf-8")):
            index._services[info["service_id"]] = ServiceInfo(**info)
        index._guide_hashes = dict(manifest["guides"])
        index._next_id = int(manifest["next_id"])
        if (folder / "dense.faiss").exists() and embedder is not None:
            index._dense = DenseIndex.load(folder / "dense.faiss")
        index._refresh_lexical()
        return index


class StaleIndexError(RuntimeError):
    """The saved index does not match the running configuration."""


def manifest_serves(manifest: dict[str, Any], model: str | None) -> bool:
    """Whether an index with `manifest` can answer for `model` (None: no embeddings): same format,
    same model, same weights on disk."""
    return manifest.get("format") == FORMAT_VERSION and same_model(manifest, model)


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a saved index.

    Raises:
        FileNotFoundError: no index has been built in `folder`.
    """
    path = folder / "manifest.json"
    if not path.exists():
        raise FileNotFoundError(f"no index in {folder}: build it with `assistant kb index`")
    return json.loads(path.read_text(encoding="utf-8"))


def _keep_best(best: dict[str, tuple[float, int]], service_id: str, score: float, chunk_id: int) -> None:
    current = best.get(service_id)
    if current is None or score > current[0]:
        best[service_id] = (score, chunk_id)


def _swap_folder(staging: Path, folder: Path) -> None:
    # rename() of a directory is atomic; the old folder is moved aside first and removed after.
    old = folder.with_name(folder.name + ".old")
    if old.exists():
        _rmtree(old)
    if folder.exists():
        os.replace(folder, old)
    os.replace(staging, folder)
    if old.exists():
        _rmtree(old)


def _rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
