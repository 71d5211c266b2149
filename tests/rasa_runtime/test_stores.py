"""Which endpoints file Rasa starts with, and the tracker/lock store values split from the two URLs."""

from __future__ import annotations

import pytest

from assistant.rasa_runtime.stores import ScaledProfileMisconfigured, rasa_store_env
from assistant.settings import Settings

PG = "postgresql+psycopg://assistant:s3cret@db.internal:6543/records"


def make(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name in ("DATABASE_URL", "REDIS_URL", "ASSISTANT_RASA_ENDPOINTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings()


def test_single_machine_keeps_endpoints_yml_and_adds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    for settings in (make(monkeypatch), make(monkeypatch, DATABASE_URL=PG), make(monkeypatch, REDIS_URL="redis://r:1/1")):
        assert settings.rasa_endpoints_file.name == "endpoints.yml" and not settings.scaled_profile
        assert rasa_store_env(settings) == {}


def test_postgres_and_redis_choose_the_scaled_endpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make(monkeypatch, DATABASE_URL=PG, REDIS_URL="redis://:lockpw@cache.internal:7000/3")
    assert settings.scaled_profile and settings.rasa_endpoints_file == settings.root_dir / "endpoints.scaled.yml"
    assert rasa_store_env(settings) == {
        "RASA_TRACKER_STORE_HOST": "db.internal", "RASA_TRACKER_STORE_PORT": "6543",
        "RASA_TRACKER_STORE_DB": "records", "RASA_TRACKER_STORE_USER": "assistant",
        "RASA_TRACKER_STORE_PASSWORD": "s3cret",
        "RASA_LOCK_STORE_HOST": "cache.internal", "RASA_LOCK_STORE_PORT": "7000",
        "RASA_LOCK_STORE_DB": "3", "RASA_LOCK_STORE_PASSWORD": "lockpw",
    }


def test_a_search_path_in_the_url_moves_rasas_table_too(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make(monkeypatch, DATABASE_URL=PG + "?options=-csearch_path%3Dtenant_a", REDIS_URL="redis://r:1/1")
    assert rasa_store_env(settings)["POSTGRESQL_SCHEMA"] == "tenant_a"


def test_the_scaled_file_without_its_urls_is_refused_with_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make(monkeypatch, ASSISTANT_RASA_ENDPOINTS="endpoints.scaled.yml")
    with pytest.raises(ScaledProfileMisconfigured, match="DATABASE_URL"):
        rasa_store_env(settings)
    settings = make(monkeypatch, ASSISTANT_RASA_ENDPOINTS="endpoints.scaled.yml", DATABASE_URL=PG)
    with pytest.raises(ScaledProfileMisconfigured, match="REDIS_URL"):
        rasa_store_env(settings)
