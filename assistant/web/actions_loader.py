"""Loading the custom actions of `actions/` into a rasa-sdk ActionExecutor, failing loudly."""

from __future__ import annotations

import importlib
import pkgutil
import traceback

from rasa_sdk.executor import ActionExecutor


class ActionsLoadError(RuntimeError):
    """A module of `actions/` cannot be imported; the service must not start without its actions."""


def load_action_executor(package: str = "actions") -> ActionExecutor:
    """An executor with every Action of `package` registered.

    rasa-sdk's own `register_package` calls `sys.exit(1)` on an import error, which would kill the
    web service without saying why; every module is imported here first to report the cause.

    Raises:
        ActionsLoadError: naming the module and the error.
    """
    try:
        root = importlib.import_module(package)
    except Exception as exc:  # noqa: BLE001 - any failure in user code must be reported
        raise ActionsLoadError(_describe(package, exc)) from exc
    for module in pkgutil.walk_packages(getattr(root, "__path__", []), prefix=f"{package}."):
        try:
            importlib.import_module(module.name)
        except Exception as exc:  # noqa: BLE001
            raise ActionsLoadError(_describe(module.name, exc)) from exc
    executor = ActionExecutor()
    try:
        executor.register_package(package)
    except SystemExit as exc:
        raise ActionsLoadError(f"rasa-sdk could not register the actions in '{package}'") from exc
    return executor


def _describe(module: str, exc: BaseException) -> str:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    location = f" ({where.filename}:{where.lineno})" if where else ""
    return f"cannot import custom actions module '{module}': {exc.__class__.__name__}: {exc}{location}"
