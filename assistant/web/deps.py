"""Dependencies of the routes, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.rasa_runtime.client import RasaClient
from assistant.settings import Settings


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _rasa(request: Request) -> RasaClient:
    return request.app.state.rasa


SettingsDep = Annotated[Settings, Depends(_settings)]
RasaDep = Annotated[RasaClient, Depends(_rasa)]
