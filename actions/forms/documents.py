"""Document photos in a form: the upload id the chat API sends, checked against the upload store."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from rasa_sdk import Tracker

from actions.citizen import citizen_of
from assistant import services


def upload_id_in(tracker: Tracker, value: Any) -> str | None:
    """The upload id of `/inform{"upload_id": ...}`: from the entities, else from the text itself."""
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == "upload_id" and entity.get("value"):
            return str(entity["value"])
    text = str(value or "")
    if text.startswith("/inform{"):
        try:
            return str(json.loads(text[len("/inform"):]).get("upload_id") or "") or None
        except (ValueError, AttributeError):
            return None
    return None


async def check_document(tracker: Tracker, value: Any) -> tuple[str | None, str | None]:
    """(upload id, None) for an accepted upload of this citizen, else (None, reason key)."""
    upload_id = upload_id_in(tracker, value)
    if upload_id is None:
        return None, "doc_need_upload"
    citizen = citizen_of(tracker)
    if citizen is None:
        return None, "sign_in_first"
    upload = await asyncio.to_thread(services.upload_store().get_for_citizen, upload_id, citizen["id"])
    if upload is None:
        return None, "doc_unknown"  # not found, or another citizen's: the same answer
    if upload.status != "accepted":
        return None, upload.reason or "upload_type_not_allowed"
    return upload.id, None
