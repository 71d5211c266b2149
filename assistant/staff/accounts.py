"""Staff accounts: argon2-hashed passwords, roles, and throttled sign-in."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

from sqlalchemy import select

from assistant.records.database import Database
from assistant.staff.models import ROLES, StaffUser

MIN_PASSWORD_CHARS = 10


class AccountError(ValueError):
    """An account cannot be created as asked (duplicate name, weak password, unknown role)."""


@dataclass(frozen=True)
class StaffMember:
    """A signed-in member of staff as the routes see them."""

    id: int
    username: str
    display_name: str
    role: str

    def can(self, role: str) -> bool:
        """Whether this member has `role` or a higher one (editor < reviewer < admin)."""
        return ROLES.index(self.role) >= ROLES.index(role)


def _hasher():  # type: ignore[no-untyped-def]
    from argon2 import PasswordHasher  # imported here: nothing heavy at import time

    return PasswordHasher()


class StaffDirectory:
    """Creates and verifies staff accounts."""

    def __init__(self, database: Database) -> None:
        self.database = database
        # A fixed hash to verify against when the name is unknown, so timing does not reveal names.
        self._dummy_hash = _hasher().hash("not-a-real-password")

    def create(self, username: str, password: str, role: str, display_name: str | None = None) -> StaffMember:
        """Add an account.

        Raises:
            AccountError: the name is taken, the role unknown or the password shorter than 10 characters.
        """
        username = username.strip().lower()
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        if not username or len(username) > 64:
            raise AccountError("username must be 1-64 characters")
        if len(password) < MIN_PASSWORD_CHARS:
            raise AccountError(f"password must be at least {MIN_PASSWORD_CHARS} characters")
        with self.database.session() as session:
            if session.scalar(select(StaffUser).where(StaffUser.username == username)) is not None:
                raise AccountError(f"username '{username}' is taken")
            user = StaffUser(username=username, display_name=display_name or username, role=role,
                             password_hash=_hasher().hash(password))
            session.add(user)
            session.flush()
            return _member(user)

    def verify(self, username: str, password: str) -> StaffMember | None:
        """The member if the password is right, else None (same work either way)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        with self.database.session() as session:
            user = session.scalar(select(StaffUser).where(StaffUser.username == username.strip().lower()))
            stored = user.password_hash if user is not None and user.active else self._dummy_hash
            try:
                _hasher().verify(stored, password)
            except (VerificationError, InvalidHashError):
                return None
            if user is None or not user.active:
                return None
            return _member(user)

    def get(self, user_id: int) -> StaffMember | None:
        """An active member by id."""
        with self.database.session() as session:
            user = session.get(StaffUser, user_id)
            return _member(user) if user is not None and user.active else None

    def list(self) -> list[StaffMember]:
        """Every active account."""
        with self.database.session() as session:
            return [_member(u) for u in session.scalars(select(StaffUser).where(StaffUser.active).order_by(StaffUser.id))]

    def count(self) -> int:
        """Number of accounts."""
        with self.database.session() as session:
            return len(list(session.scalars(select(StaffUser.id))))


def _member(user: StaffUser) -> StaffMember:
    return StaffMember(user.id, user.username, user.display_name, user.role)


class SignInThrottle:
    """Refuses sign-in after too many failures, per account and per client address.

    In-memory and per process: the service runs one process, and a restart clearing the counters
    is acceptable (the argon2 cost still slows guessing).
    """

    def __init__(self, max_failures: int = 5, window_s: float = 300.0, per_client_max: int = 20) -> None:
        self.max_failures = max_failures
        self.per_client_max = per_client_max
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked_for(self, username: str, client: str) -> float:
        """Seconds until a sign-in attempt is allowed again (0: allowed now)."""
        now = time.monotonic()
        with self._lock:
            waits = [
                self._wait(f"user:{username.strip().lower()}", self.max_failures, now),
                self._wait(f"client:{client}", self.per_client_max, now),
            ]
        return max(waits)

    def failed(self, username: str, client: str) -> None:
        """Count a failed attempt."""
        now = time.monotonic()
        with self._lock:
            for key in (f"user:{username.strip().lower()}", f"client:{client}"):
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, username: str) -> None:
        """A right password clears the account's failures (not the client's)."""
        with self._lock:
            self._failures.pop(f"user:{username.strip().lower()}", None)

    def _wait(self, key: str, limit: int, now: float) -> float:
        times = self._failures.get(key)
        if not times:
            return 0.0
        while times and now - times[0] > self.window_s:
            times.popleft()
        if len(times) < limit:
            return 0.0
        return self.window_s - (now - times[0])
