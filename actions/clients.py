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

    async def submit(
        self, kind: str, citizen_ref: str, payload: dict[str, Any], idempotency_key: str,
        attachments: list[dict[str, Any]] | None = None,
    ) -> str:
        """File an application; returns its receipt number (the same one for a retried call).

        Attachments name accepted uploads (`{"document", "upload_id"}`); they are linked to the
        application and recorded with their content hash.
        """
        store = services.records_store()
        uploads = services.upload_store()
        described = []
        for attachment in attachments or []:
            upload = await asyncio.to_thread(uploads.get, attachment["upload_id"])
            if upload is not None:
                described.append({**attachment, "sha256": upload.sha256, "content_type": upload.content_type})
        application = await asyncio.to_thread(store.submit, kind, citizen_ref, payload, idempotency_key, described)
        if described:
            await asyncio.to_thread(uploads.link, [a["upload_id"] for a in described], application.id)
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


class CertificateClient:
    """Issues sample certificates from the citizen record (the local register)."""

    async def issue(self, receipt_number: str, citizen_id: str, request: dict[str, Any]) -> str:
        """Render the PDF once for this receipt and record it; returns its download path."""
        return await asyncio.to_thread(_issue_certificate, receipt_number, citizen_id, request)


def _issue_certificate(receipt_number: str, citizen_id: str, request: dict[str, Any]) -> str:
    from assistant.records.certificates import CertificateRequest, render_certificate
    from assistant.settings import get_settings

    settings = get_settings()
    store, citizens = services.records_store(), services.citizen_directory()
    application = store.find_for_citizen(receipt_number, f"citizen:{citizen_id}")
    citizen = citizens.get(citizen_id)
    if application is None or citizen is None:
        raise LookupError(receipt_number)
    file_name = f"{receipt_number}.pdf"
    path = settings.certificates_dir / file_name
    if not path.exists():  # a retried submission issues nothing new
        options = request["options"]
        number = citizens.registration_number(citizen) if "show_digits" in options else citizen.rrn_masked
        household = [(m.citizen.name, m.relation, m.citizen.rrn_masked) for m in citizens.household(citizen)]
        history = [(h["moved_in"], h["address"]) for h in citizen.address_history] if "with_history" in options else []
        pdf = render_certificate(CertificateRequest(
            receipt_number=receipt_number, certificate_type=request["certificate_type"], name=citizen.name,
            registration_number=number, address=citizen.address, purpose=request["purpose"],
            copies=int(request["copies"]), household=household,
            address_history=history,
        ))
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        temporary.write_bytes(pdf)
        temporary.replace(path)
    store.set_payload(application.id, {**application.payload, "certificate_file": file_name})
    return f"/api/applications/{receipt_number}/certificate.pdf"
