"""The records tests run twice: on SQLite (the single-machine default) and on real PostgreSQL."""

from tests.backing import database_url  # noqa: F401  (the parametrised fixture)
