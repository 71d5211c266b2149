"""Dependencies of the routes, as `Annotated` aliases."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from assistant.identity import IdentityProvider, Session, SessionSigner
from assistant.identity.sessions import COOKIE_NAME
from assistant.rasa_runtime.pool import RasaPool
from assistant.records.citizens import CitizenDirectory
from assistant.records.store import RecordsStore
from assistant.records.uploads import UploadStore
from assistant.settings import Settings
from assistant.web.errors import ApiError, request_lang


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _rasa(request: Request) -> RasaPool:
    return request.app.state.rasa


def _records(request: Request) -> RecordsStore:
    return request.app.state.records


def _citizens(request: Request) -> CitizenDirectory:
    return request.app.state.citizens


def _uploads(request: Request) -> UploadStore:
    return request.app.state.uploads


def _identity(request: Request) -> IdentityProvider:
    return request.app.state.identity


def _signer(request: Request) -> SessionSigner:
    return request.app.state.sessions


def session_token(request: Request) -> str | None:
    """The session token: `Authorization: Bearer ...` wins over the cookie."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(COOKIE_NAME)


def _optional_session(request: Request) -> Session | None:
    return request.app.state.sessions.check(session_token(request))


def _required_session(request: Request) -> Session:
    session = _optional_session(request)
    if session is None:
        raise ApiError(401, "sign_in_required", request_lang(request))
    return session


def _staff(request: Request) -> None:
    # Staff endpoints are off unless ASSISTANT_STAFF_TOKEN is set; compared in constant time.
    lang = request_lang(request)
    expected = request.app.state.settings.staff_token
    if not expected:
        raise ApiError(403, "staff_disabled", lang)
    header = request.headers.get("authorization", "")
    given = header[7:].strip() if header.lower().startswith("bearer ") else ""
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiError(401, "staff_token_invalid", lang)


SettingsDep = Annotated[Settings, Depends(_settings)]
RasaDep = Annotated[RasaPool, Depends(_rasa)]
RecordsDep = Annotated[RecordsStore, Depends(_records)]
CitizensDep = Annotated[CitizenDirectory, Depends(_citizens)]
UploadsDep = Annotated[UploadStore, Depends(_uploads)]
IdentityDep = Annotated[IdentityProvider, Depends(_identity)]
SignerDep = Annotated[SessionSigner, Depends(_signer)]
OptionalSession = Annotated[Session | None, Depends(_optional_session)]
CurrentSession = Annotated[Session, Depends(_required_session)]
CurrentStaff = Annotated[None, Depends(_staff)]
