"""Clients of the systems the actions use. Local mode: the service's own index and records store,
which the actions reach in-process because the service hosts the action webhook."""

from __future__ import annotations

import asyncio
from typing import Any

from assistant import services
from assistant.retrieval.index import SearchHit


class KnowledgeClient:
    """Searches the service guides."""

    async def search(self, query: str, k: int, lang: str) -> list[SearchHit]:
        """Top services for `query` (runs in a worker thread: embedding is CPU work)."""
        index = services.knowledge_index()
        return await asyncio.to_thread(index.search, query, k, lang)


class RecordsClient:
    """Files applications and reads their status."""

    async def submit(self, kind: str, citizen_ref: str, payload: dict[str, Any], idempotency_key: str) -> str:
        """File an application; returns its receipt number (the same one for a retried call)."""
        store = services.records_store()
        application = await asyncio.to_thread(store.submit, kind, citizen_ref, payload, idempotency_key)
        assert application.receipt_number is not None
        return application.receipt_number

    async def list_for(self, citizen_ref: str) -> list[dict[str, Any]]:
        """The citizen's applications, newest first, as plain dicts."""
        store = services.records_store()
        rows = await asyncio.to_thread(store.list_for_citizen, citizen_ref)
        return [_public(a) for a in rows]

    async def find(self, receipt_number: str, citizen_ref: str) -> dict[str, Any] | None:
        """One of the citizen's applications by receipt number (never another citizen's)."""
        store = services.records_store()
        row = await asyncio.to_thread(store.find_for_citizen, receipt_number, citizen_ref)
        return _public(row) if row is not None else None


def _public(application: Any) -> dict[str, Any]:
    return {
        "receipt_number": application.receipt_number,
        "kind": application.kind,
        "status": application.status.value,
        "status_note": application.status_note,
    }


def citizen_ref_of(sender_id: str, metadata: dict[str, Any] | None) -> str:
    """Who the application belongs to: the signed-in citizen when there is one, else the conversation."""
    citizen = (metadata or {}).get("citizen_id")
    return f"citizen:{citizen}" if citizen else f"conversation:{sender_id}"
