"""Who the citizen is: an identity provider (demo residents + PIN for now) and signed sessions."""

from assistant.identity.provider import DemoIdentityProvider, IdentityProvider, SignInFailed
from assistant.identity.sessions import Session, SessionSigner

__all__ = ["DemoIdentityProvider", "IdentityProvider", "Session", "SessionSigner", "SignInFailed"]
