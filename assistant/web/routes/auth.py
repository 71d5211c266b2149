"""Sign-in for citizens (web and kiosk): the identity provider proves who they are, a signed session follows."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.identity import SignInFailed
from assistant.identity.sessions import COOKIE_NAME
from assistant.web.deps import CitizensDep, CurrentSession, IdentityDep, OptionalSession, SettingsDep, SignerDep
from assistant.web.errors import ApiError, request_lang
from assistant.web.limits import limit

router = APIRouter(prefix="/api/auth", tags=["auth"])


class SignInRequest(BaseModel):
    """Demo credentials: which resident, and their PIN."""

    citizen_id: str = Field(min_length=1, max_length=32)
    pin: str = Field(min_length=4, max_length=8, pattern=r"^\d+$")


@router.get("/demo-residents")
async def demo_residents(identity: IdentityDep) -> dict[str, list[dict[str, Any]]]:
    """The residents one can sign in as (masked data only)."""
    return {"residents": await run_in_threadpool(identity.choices)}


@router.post("/sign-in")
async def sign_in(
    body: SignInRequest, request: Request, response: Response, identity: IdentityDep, signer: SignerDep,
    citizens: CitizensDep, settings: SettingsDep,
) -> dict[str, Any]:
    """Verify the citizen; the session comes back as an HttpOnly cookie and as a bearer token."""
    # Per client and resident: guessing one resident's PIN is slowed down, other residents are not.
    limit(request, "sign_in", body.citizen_id, request_lang(request))
    try:
        citizen_id = await run_in_threadpool(identity.verify, body.model_dump())
    except SignInFailed as exc:
        raise ApiError(401, "sign_in_failed", request_lang(request)) from exc
    token, session = signer.issue(citizen_id)
    response.set_cookie(
        COOKIE_NAME, token, max_age=int(settings.session_hours * 3600), httponly=True, samesite="strict",
        secure=settings.service_url.startswith("https"),
    )
    citizen = await run_in_threadpool(citizens.get, citizen_id)
    assert citizen is not None
    return {"token": token, "expires_at": session.expires_at.isoformat(), "citizen": _public(citizen)}


@router.post("/sign-out")
async def sign_out(response: Response, session: OptionalSession, signer: SignerDep) -> dict[str, bool]:
    """End the session (its token is refused from now on) and clear the cookie."""
    if session is not None:
        await run_in_threadpool(signer.sign_out, session)
    response.delete_cookie(COOKIE_NAME)
    return {"signed_out": True}


@router.get("/me")
async def me(session: CurrentSession, citizens: CitizensDep) -> dict[str, Any]:
    """The signed-in citizen (masked)."""
    citizen = await run_in_threadpool(citizens.get, session.citizen_id)
    assert citizen is not None
    return {"citizen": _public(citizen)}


def _public(citizen: Any) -> dict[str, Any]:
    return {"id": citizen.id, "name": citizen.name, "name_en": citizen.name_en, "rrn_masked": citizen.rrn_masked}
