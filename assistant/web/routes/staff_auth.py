"""Staff sign-in, sign-out, who am I, and account creation (admins only)."""

from __future__ import annotations

import math
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.staff.accounts import AccountError, StaffMember
from assistant.staff.sessions import STAFF_COOKIE, STAFF_SESSION_HOURS
from assistant.web.deps import SettingsDep
from assistant.web.errors import ApiError, request_lang
from assistant.web.limits import limit
from assistant.web.staff_deps import Admin, AnyStaff, ConsoleDep

router = APIRouter(prefix="/api/staff", tags=["staff"])


class StaffSignIn(BaseModel):
    """Username and password."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class AccountCreate(BaseModel):
    """A new staff account."""

    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    password: str = Field(min_length=10, max_length=256)
    role: Literal["editor", "reviewer", "admin"]
    display_name: str | None = Field(default=None, max_length=80)


def public_member(member: StaffMember) -> dict[str, Any]:
    """A member as the API shows them."""
    return {"id": member.id, "username": member.username, "display_name": member.display_name, "role": member.role}


@router.post("/auth/sign-in")
async def sign_in(body: StaffSignIn, request: Request, response: Response, console: ConsoleDep,
                  settings: SettingsDep) -> dict[str, Any]:
    """Check the password (throttled per account and per client); the session comes back as a cookie."""
    lang = request_lang(request)
    client = request.client.host if request.client else "unknown"
    limit(request, "sign_in", f"staff:{body.username.strip().lower()}", lang)
    wait = console.throttle.blocked_for(body.username, client)
    if wait > 0:
        raise ApiError(429, "staff_throttled", lang, headers={"Retry-After": str(math.ceil(wait))},
                       seconds=math.ceil(wait))
    member = await run_in_threadpool(console.directory.verify, body.username, body.password)
    if member is None:
        console.throttle.failed(body.username, client)
        await run_in_threadpool(console.audit.record, body.username.strip().lower()[:64], "sign_in_failed", "staff")
        raise ApiError(401, "staff_sign_in_failed", lang)
    console.throttle.succeeded(body.username)
    token, session = console.sessions.issue(member.id)
    response.set_cookie(
        STAFF_COOKIE, token, max_age=int(STAFF_SESSION_HOURS * 3600), httponly=True, samesite="strict",
        secure=settings.service_url.startswith("https"), path="/",
    )
    await run_in_threadpool(console.audit.record, member.username, "sign_in", "staff")
    return {"staff": public_member(member), "csrf_token": session.csrf_token}


@router.post("/auth/sign-out")
async def sign_out(request: Request, response: Response, member: AnyStaff, console: ConsoleDep) -> dict[str, bool]:
    """End the session (its cookie is refused from now on)."""
    await run_in_threadpool(console.sessions.sign_out, request.state.staff_session)
    await run_in_threadpool(console.audit.record, member.username, "sign_out", "staff")
    response.delete_cookie(STAFF_COOKIE, path="/")
    return {"signed_out": True}


@router.get("/auth/me")
async def me(request: Request, member: AnyStaff) -> dict[str, Any]:
    """The signed-in member and the CSRF token their page must send with every change."""
    return {"staff": public_member(member), "csrf_token": request.state.staff_session.csrf_token}


@router.get("/accounts")
async def list_accounts(member: Admin, console: ConsoleDep) -> dict[str, Any]:
    """Every active account (admins)."""
    return {"accounts": [public_member(m) for m in await run_in_threadpool(console.directory.list)]}


@router.post("/accounts", status_code=201)
async def create_account(body: AccountCreate, request: Request, member: Admin, console: ConsoleDep) -> dict[str, Any]:
    """Create an account of any role (admins only)."""
    try:
        created = await run_in_threadpool(console.directory.create, body.username, body.password, body.role,
                                          body.display_name)
    except AccountError as exc:
        raise ApiError(422, "account_invalid", request_lang(request), detail=str(exc)) from exc
    await run_in_threadpool(console.audit.record, member.username, "create_account", f"staff:{created.username}",
                            role=created.role)
    return {"account": public_member(created)}


@router.get("/audit")
async def audit_log(member: AnyStaff, console: ConsoleDep, target: str | None = None, limit: int = 200) -> dict[str, Any]:
    """The newest staff actions (reviewers and admins see all; editors too: it is a shared record)."""
    return {"entries": await run_in_threadpool(console.audit.recent, min(max(limit, 1), 1000), target)}
