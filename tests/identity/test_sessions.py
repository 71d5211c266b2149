"""Signed sessions: issued, verified, refused when forged, expired or signed out."""

from __future__ import annotations

from assistant import services
from assistant.identity import DemoIdentityProvider, SessionSigner, SignInFailed
from assistant.records.demo_residents import DEMO_PIN


def signer(settings) -> SessionSigner:  # type: ignore[no-untyped-def]
    return SessionSigner(settings, services.records_store().database)


def test_a_token_names_its_citizen_until_signed_out(settings) -> None:  # type: ignore[no-untyped-def]
    sessions = signer(settings)
    token, session = sessions.issue("c-1001")
    assert sessions.check(token) == session
    sessions.sign_out(session)
    assert sessions.check(token) is None


def test_forged_and_expired_tokens_are_refused(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sessions = signer(settings)
    token, _ = sessions.issue("c-1001")
    payload, signature = token.split(".")
    assert sessions.check(f"{payload}.{signature[:-2]}xx") is None
    other_payload = signer(settings).issue("c-2001")[0].split(".")[0]
    assert sessions.check(f"{other_payload}.{signature}") is None
    assert sessions.check("") is None and sessions.check("garbage") is None
    monkeypatch.setattr(settings, "session_hours", -1.0)
    assert sessions.check(signer(settings).issue("c-1001")[0]) is None


def test_demo_provider_checks_the_pin(settings) -> None:  # type: ignore[no-untyped-def]
    provider = DemoIdentityProvider(services.citizen_directory())
    assert provider.verify({"citizen_id": "c-1001", "pin": DEMO_PIN}) == "c-1001"
    choices = provider.choices()
    assert {"id", "name", "rrn_masked"} <= set(choices[0]) and "1234567" not in str(choices)
    try:
        provider.verify({"citizen_id": "c-1001", "pin": "9999"})
    except SignInFailed:
        pass
    else:
        raise AssertionError("a wrong PIN signed in")
