"""The identity provider interface, and the demo provider that stands in for a real one.

A real provider (간편인증, 공동인증서, mobile ID) would implement `IdentityProvider` and return the
citizen id of the person it verified; nothing else in the service needs to change.
"""

from __future__ import annotations

from typing import Any, Protocol

from assistant.records.citizens import CitizenDirectory


class SignInFailed(Exception):
    """The credentials did not identify anyone."""


class IdentityProvider(Protocol):
    """Verifies a citizen and names them by their id in the resident register."""

    def choices(self) -> list[dict[str, Any]]:
        """What the sign-in screen may offer (for the demo: the residents one can be)."""
        ...

    def verify(self, credentials: dict[str, Any]) -> str:
        """The citizen id the credentials prove. Raises `SignInFailed`."""
        ...


class DemoIdentityProvider:
    """Sign in as one of the demo residents with their PIN."""

    def __init__(self, citizens: CitizenDirectory) -> None:
        self.citizens = citizens

    def choices(self) -> list[dict[str, Any]]:
        """The demo residents: id, names and masked data only."""
        return [
            {"id": c.id, "name": c.name, "name_en": c.name_en, "rrn_masked": c.rrn_masked, "address": c.address}
            for c in self.citizens.can_sign_in()
        ]

    def verify(self, credentials: dict[str, Any]) -> str:
        """`{"citizen_id", "pin"}` -> the citizen id."""
        citizen = self.citizens.check_pin(str(credentials.get("citizen_id") or ""), str(credentials.get("pin") or ""))
        if citizen is None:
            raise SignInFailed("unknown resident or wrong PIN")
        return citizen.id
