"""Secrets of the service: the key that signs sessions and encrypts registration numbers at rest.

The key comes from `ASSISTANT_SECRET_KEY`; without it one is generated on first use and kept in
`var/secret.key` (readable by the owner only), so sessions and encrypted data survive a restart.
Purpose-specific keys are derived from it, so one leaked sub-key does not open the others.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
from functools import lru_cache
from pathlib import Path

from assistant.settings import Settings

_lock = threading.Lock()


def master_key(settings: Settings) -> bytes:
    """The configured secret, else the one stored in `var/secret.key` (created when missing)."""
    if settings.secret_key:
        return settings.secret_key.encode()
    return _stored_key(settings.var_dir / "secret.key")


def derived_key(settings: Settings, purpose: str) -> bytes:
    """A 32-byte key for one purpose ("session", "rrn", ...)."""
    return hmac.new(master_key(settings), purpose.encode(), hashlib.sha256).digest()


def sign(settings: Settings, purpose: str, payload: bytes) -> str:
    """URL-safe HMAC-SHA256 signature of `payload`."""
    digest = hmac.new(derived_key(settings, purpose), payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def verify(settings: Settings, purpose: str, payload: bytes, signature: str) -> bool:
    """Whether `signature` is `sign(payload)` (constant-time comparison)."""
    return hmac.compare_digest(sign(settings, purpose, payload), signature)


class FieldCipher:
    """Encrypts single fields (registration numbers, phone numbers) with Fernet (AES + HMAC)."""

    def __init__(self, settings: Settings, purpose: str = "personal-data") -> None:
        from cryptography.fernet import Fernet  # imported here: nothing heavy at import time

        self._fernet = Fernet(base64.urlsafe_b64encode(derived_key(settings, purpose)))

    def encrypt(self, value: str) -> str:
        """The token stored instead of `value`."""
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, token: str) -> str:
        """The value behind a stored token."""
        return self._fernet.decrypt(token.encode()).decode()


def action_webhook_token(settings: Settings) -> str:
    """The token Rasa sends with every action call (`?token=`): only our Rasa may run actions.

    Derived from the secret, so the service and the Rasa processes it starts agree without storing it.
    """
    return base64.urlsafe_b64encode(derived_key(settings, "action-webhook")).rstrip(b"=").decode()


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """`salt$hash` of a PIN with scrypt (slow on purpose: PINs are short)."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"{salt.hex()}${digest.hex()}"


def check_pin(pin: str, stored: str) -> bool:
    """Whether `pin` matches a `hash_pin` result."""
    salt_hex, _, digest_hex = stored.partition("$")
    expected = hash_pin(pin, bytes.fromhex(salt_hex)).partition("$")[2]
    return hmac.compare_digest(expected, digest_hex)


def _stored_key(path: Path) -> bytes:
    with _lock:
        return _read_or_create(str(path))


@lru_cache(maxsize=4)
def _read_or_create(path_text: str) -> bytes:
    path = Path(path_text)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting together must not both write a different key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip().encode()
