"""Staff sessions: signed cookie tokens, separate from the citizens' (own cookie, own signing key).

The payload names the member, a random session id, a CSRF token and the expiry. A citizen's token
cannot pass here: it is signed with another derived key and names no staff member. Every
state-changing staff request must repeat the session's CSRF token in the `X-CSRF-Token` header,
which a cross-site page cannot read (SameSite=Strict is the second line of defence).
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from assistant.records.database import Database
from assistant.records.models import SignedOutSession
from assistant.security import sign, verify
from assistant.settings import Settings

STAFF_COOKIE = "staff_session"
CSRF_HEADER = "x-csrf-token"
_PURPOSE = "staff-session"
STAFF_SESSION_HOURS = 8.0


@dataclass(frozen=True)
class StaffSession:
    """A verified staff session."""

    user_id: int
    session_id: str
    csrf_token: str
    expires_at: datetime

    def csrf_matches(self, given: str | None) -> bool:
        """Whether `given` is this session's CSRF token (constant-time)."""
        return bool(given) and hmac.compare_digest(given.encode(), self.csrf_token.encode())  # type: ignore[union-attr]


class StaffSessionSigner:
    """Issues, checks and ends staff session tokens."""

    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings = settings
        self.database = database

    def issue(self, user_id: int) -> tuple[str, StaffSession]:
        """A new token for the member, and the session it stands for."""
        expires = (datetime.now(timezone.utc) + timedelta(hours=STAFF_SESSION_HOURS)).replace(microsecond=0)
        session = StaffSession(user_id, secrets.token_urlsafe(16), secrets.token_urlsafe(24), expires)
        payload = json.dumps({"u": user_id, "s": session.session_id, "x": session.csrf_token,
                              "e": int(expires.timestamp())}).encode()
        encoded = base64.urlsafe_b64encode(payload).rstrip(b"=").decode()
        return f"{encoded}.{sign(self.settings, _PURPOSE, encoded.encode())}", session

    def check(self, token: str | None) -> StaffSession | None:
        """The session of a token, or None (missing, forged, a citizen's, expired, signed out)."""
        if not token or token.count(".") != 1:
            return None
        encoded, signature = token.split(".")
        if not verify(self.settings, _PURPOSE, encoded.encode(), signature):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
            expires = datetime.fromtimestamp(int(data["e"]), timezone.utc)
            session = StaffSession(int(data["u"]), str(data["s"]), str(data["x"]), expires)
        except (ValueError, KeyError, TypeError):
            return None
        if expires <= datetime.now(timezone.utc):
            return None
        with self.database.session() as db:
            if db.get(SignedOutSession, "staff:" + session.session_id) is not None:
                return None
        return session

    def sign_out(self, session: StaffSession) -> None:
        """Refuse this session's token from now on."""
        with self.database.session() as db:
            key = "staff:" + session.session_id
            if db.get(SignedOutSession, key) is None:
                db.add(SignedOutSession(session_id=key, expires_at=session.expires_at))
