"""Dependencies of the staff routes: the signed-in member, their role, and the CSRF check.

Only the staff cookie counts here (never the citizens' cookie or a bearer token), so a citizen's
session cannot reach a staff page or API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from assistant.staff.accounts import StaffMember
from assistant.staff.console import StaffConsole
from assistant.staff.sessions import CSRF_HEADER, STAFF_COOKIE
from assistant.web.errors import MESSAGES, ApiError, request_lang

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# The staff console's error messages join the service's catalogue (kept here, next to their use).
MESSAGES.update({
    "staff_sign_in_required": {"ko": "직원 로그인이 필요해요.", "en": "Please sign in as staff."},
    "staff_sign_in_failed": {"ko": "아이디나 비밀번호가 맞지 않아요.", "en": "Wrong username or password."},
    "staff_throttled": {
        "ko": "로그인 실패가 너무 많아요. {seconds}초 뒤에 다시 시도해 주세요.",
        "en": "Too many failed sign-ins. Please try again in {seconds} s.",
    },
    "csrf_failed": {
        "ko": "보안 토큰(X-CSRF-Token)이 없거나 맞지 않아요. 페이지를 새로 고쳐 주세요.",
        "en": "The security token (X-CSRF-Token) is missing or wrong. Please reload the page.",
    },
    "role_required": {"ko": "이 작업은 {role} 권한이 필요해요.", "en": "This needs the {role} role."},
    "account_invalid": {"ko": "계정을 만들 수 없어요: {detail}", "en": "Cannot create the account: {detail}"},
    "guide_not_found": {"ko": "해당 안내문을 찾을 수 없어요.", "en": "No such guide."},
    "version_not_found": {"ko": "해당 버전을 찾을 수 없어요.", "en": "No such version."},
    "workflow_refused": {"ko": "지금 상태에서는 할 수 없어요: {detail}", "en": "Not allowed in this state: {detail}"},
    "guide_invalid": {"ko": "안내문 형식에 맞지 않는 항목이 있어요.", "en": "Some fields do not fit the guide format."},
    "unknown_intent": {"ko": "domain.yml에 없는 의도예요: {intent}", "en": "No such intent in domain.yml: {intent}"},
    "nothing_selected": {"ko": "처리할 질문이 없어요 (이미 처리되었을 수 있어요).",
                         "en": "No open questions were selected (they may be handled already)."},
    "bad_request": {"ko": "요청을 확인해 주세요: {detail}", "en": "Please check the request: {detail}"},
    "chart_not_found": {"ko": "그런 차트는 없어요.", "en": "No such chart."},
})


def _console(request: Request) -> StaffConsole:
    return request.app.state.staff


async def current_staff(request: Request) -> StaffMember:
    """The member of the staff session cookie; unsafe methods must carry the session's CSRF token."""
    console: StaffConsole = request.app.state.staff
    lang = request_lang(request)
    session = await run_in_threadpool(console.sessions.check, request.cookies.get(STAFF_COOKIE))
    if session is None:
        raise ApiError(401, "staff_sign_in_required", lang)
    if request.method not in SAFE_METHODS and not session.csrf_matches(request.headers.get(CSRF_HEADER)):
        raise ApiError(403, "csrf_failed", lang)
    member = await run_in_threadpool(console.directory.get, session.user_id)
    if member is None:
        raise ApiError(401, "staff_sign_in_required", lang)
    request.state.staff_session = session
    return member


def require(role: str) -> Callable[..., object]:
    """A dependency admitting members with `role` or a higher one."""

    async def check(request: Request, member: Annotated[StaffMember, Depends(current_staff)]) -> StaffMember:
        if not member.can(role):
            raise ApiError(403, "role_required", request_lang(request), role=role)
        return member

    return check


ConsoleDep = Annotated[StaffConsole, Depends(_console)]
AnyStaff = Annotated[StaffMember, Depends(current_staff)]
Editor = Annotated[StaffMember, Depends(require("editor"))]
Reviewer = Annotated[StaffMember, Depends(require("reviewer"))]
Admin = Annotated[StaffMember, Depends(require("admin"))]
