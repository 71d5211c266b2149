"""Run by the Python of every Rasa process at start-up (environment.py puts this folder on its
PYTHONPATH; Python imports a `sitecustomize` module it finds there before anything else).

Why: Rasa 3.6 checks every custom action's response with `jsonschema.validate(result, schema)`, and
jsonschema 4.17's `validate` first checks the *schema* against the draft 2020-12 meta-schema, on
every call. The schema never changes, so on each action call (every turn has at least one: the
slot-mapping validation) Rasa's single event loop spent ~20-90 ms re-proving a constant, against
~2 ms for the validation itself; py-spy showed it as ~45 % of Rasa's CPU on a greeting turn.

What: `jsonschema.validate` checks each distinct schema once and keeps its validator. The instance
is validated exactly as before: an invalid action response still raises the same ValidationError,
an invalid schema still raises SchemaError (on its first use).
"""

from __future__ import annotations

import json
import threading
from typing import Any

try:
    import jsonschema
except ImportError:  # not the Rasa environment: nothing to speed up
    jsonschema = None

_lock = threading.Lock()
_validators: dict[tuple[Any, str], Any] = {}
_MAX_SCHEMAS = 256


def _checked_validator(schema: Any, cls: Any) -> Any:
    """The validator for `schema`, its schema checked against the meta-schema on first use only."""
    key = (cls, json.dumps(schema, sort_keys=True, default=repr))
    validator = _validators.get(key)
    if validator is None:
        chosen = cls or jsonschema.validators.validator_for(schema)
        chosen.check_schema(schema)
        validator = chosen(schema)
        with _lock:
            if len(_validators) >= _MAX_SCHEMAS:
                _validators.clear()
            _validators[key] = validator
    return validator


def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """`jsonschema.validate` with the schema check done once per schema (same errors raised)."""
    if args or kwargs:  # unusual call: keep the library's own path
        return _original_validate(instance, schema, cls, *args, **kwargs)
    error = jsonschema.exceptions.best_match(_checked_validator(schema, cls).iter_errors(instance))
    if error is not None:
        raise error
    return None


if jsonschema is not None and getattr(jsonschema.validate, "__module__", "") != __name__:
    _original_validate = jsonschema.validate
    jsonschema.validate = validate
