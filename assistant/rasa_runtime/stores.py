"""Where Rasa keeps conversations and locks: the ${...} values of endpoints.scaled.yml.

The scaled profile is configured by two URLs only, `DATABASE_URL` (records and Rasa's trackers share
one PostgreSQL database; Rasa's table is `events`) and `REDIS_URL` (Rasa's lock store). Rasa's
endpoints file takes host, port, database and credentials as separate fields, so they are split here.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url

from assistant.settings import Settings


class ScaledProfileMisconfigured(ValueError):
    """The scaled endpoints are in use but DATABASE_URL or REDIS_URL do not say where to go."""


def rasa_store_env(settings: Settings) -> dict[str, str]:
    """Environment variables for the tracker and lock stores of the endpoints file Rasa starts with.

    Empty for the single-machine endpoints.yml (SQLite trackers, in-memory locks).

    Raises:
        ScaledProfileMisconfigured: endpoints.scaled.yml chosen without a PostgreSQL DATABASE_URL or
            without REDIS_URL.
    """
    if settings.rasa_endpoints_file.name != "endpoints.scaled.yml":
        return {}
    if not settings.database_url.startswith("postgresql"):
        raise ScaledProfileMisconfigured(
            "endpoints.scaled.yml keeps Rasa's conversations in PostgreSQL: set DATABASE_URL to a "
            "postgresql+psycopg://user:password@host:port/database URL (scripts/backing_services.sh env)"
        )
    if not settings.redis_url.startswith("redis://"):
        raise ScaledProfileMisconfigured(
            "endpoints.scaled.yml keeps Rasa's locks in Redis: set REDIS_URL to redis://host:port/db "
            "(scripts/backing_services.sh env)"
        )
    database = make_url(settings.database_url)
    redis = make_url(settings.redis_url)  # the same URL grammar: redis://[:password@]host:port/db
    env = {
        "RASA_TRACKER_STORE_HOST": database.host or "127.0.0.1",
        "RASA_TRACKER_STORE_PORT": str(database.port or 5432),
        "RASA_TRACKER_STORE_DB": database.database or "",
        "RASA_TRACKER_STORE_USER": database.username or "",
        "RASA_TRACKER_STORE_PASSWORD": database.password or "",
        "RASA_LOCK_STORE_HOST": redis.host or "127.0.0.1",
        "RASA_LOCK_STORE_PORT": str(redis.port or 6379),
        "RASA_LOCK_STORE_DB": redis.database or "1",
        "RASA_LOCK_STORE_PASSWORD": redis.password or "",
    }
    # A search path in the URL (`?options=-csearch_path=NAME`, which the records store's driver
    # honours) puts Rasa's `events` table in that schema too; Rasa reads it from POSTGRESQL_SCHEMA.
    schema = _search_path(database.query.get("options"))
    if schema:
        env["POSTGRESQL_SCHEMA"] = schema
    return env


def _search_path(options: str | tuple[str, ...] | None) -> str | None:
    for option in ([options] if isinstance(options, str) else list(options or ())):
        for part in option.split():
            if part.startswith("-csearch_path="):
                return part.split("=", 1)[1].split(",")[0].strip() or None
    return None
