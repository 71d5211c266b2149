"""Signed sessions: `<payload>.<signature>` tokens carried in an HttpOnly cookie or a bearer header.

The payload names the citizen, a random session id and the expiry; the HMAC signature makes it
tamper-proof. Signing out records the session id so the token is refused before it expires.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete

from assistant.records.database import Database
from assistant.records.models import SignedOutSession
from assistant.security import sign, verify
from assistant.settings import Settings

COOKIE_NAME = "assistant_session"
_PURPOSE = "session"


@dataclass(frozen=True)
class Session:
    """A verified session."""

    citizen_id: str
    session_id: str
    expires_at: datetime


class SessionSigner:
    """Issues and checks session tokens."""

    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings = settings
        self.database = database

    def issue(self, citizen_id: str) -> tuple[str, Session]:
        """A new token for the citizen, and the session it stands for."""
        expires = (datetime.now(timezone.utc) + timedelta(hours=self.settings.session_hours)).replace(microsecond=0)
        session = Session(citizen_id, secrets.token_urlsafe(16), expires)
        payload = json.dumps({"c": citizen_id, "s": session.session_id, "e": int(expires.timestamp())}).encode()
        encoded = base64.urlsafe_b64encode(payload).rstrip(b"=").decode()
        return f"{encoded}.{sign(self.settings, _PURPOSE, encoded.encode())}", session

    def check(self, token: str | None) -> Session | None:
        """The session a token stands for, or None (missing, forged, expired, signed out)."""
        if not token or token.count(".") != 1:
            return None
        encoded, signature = token.split(".")
        if not verify(self.settings, _PURPOSE, encoded.encode(), signature):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
            expires = datetime.fromtimestamp(int(data["e"]), timezone.utc)
            session = Session(str(data["c"]), str(data["s"]), expires)
        except (ValueError, KeyError, TypeError):
            return None
        if expires <= datetime.now(timezone.utc):
            return None
        with self.database.session() as db:
            if db.get(SignedOutSession, session.session_id) is not None:
                return None
        return session

    def sign_out(self, session: Session) -> None:
        """Refuse this session's token from now on (and forget expired sign-outs)."""
        now = datetime.now(timezone.utc)
        with self.database.session() as db:
            db.execute(delete(SignedOutSession).where(SignedOutSession.expires_at < now))
            if db.get(SignedOutSession, session.session_id) is None:
                db.add(SignedOutSession(session_id=session.session_id, expires_at=session.expires_at))
