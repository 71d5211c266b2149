"""The Rasa processes' sitecustomize: jsonschema checks a schema once, validates instances as before.

Runs `.venv-rasa`'s Python with the environment every Rasa process gets, so it tests the real
mechanism (Python importing `sitecustomize` from PYTHONPATH at start-up), not an import by hand.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from assistant.rasa_runtime.environment import rasa_process_env
from assistant.settings import Settings

pytestmark = pytest.mark.integration  # starts .venv-rasa's Python, which `make test-fast` may not have

# Rasa 3.6's action-response check (RemoteAction._validate_action_result) in miniature: the same
# call shape, `validate(result, schema)`, many times.
PROBE = r"""
import json, jsonschema
checks = 0
original = jsonschema.Draft202012Validator.check_schema.__func__
def counting(cls, schema, *args, **kwargs):
    global checks
    checks += 1
    return original(cls, schema, *args, **kwargs)
jsonschema.Draft202012Validator.check_schema = classmethod(counting)
schema = {"type": "object", "properties": {"events": {"type": ["array", "null"],
          "items": {"type": "object", "properties": {"event": {"type": "string"}}, "required": ["event"]}}}}
for _ in range(20):
    jsonschema.validate({"events": [{"event": "slot"}]}, dict(schema))
errors = []
for bad in ({"events": [{"event": 3}]}, {"events": [{}]}):
    try:
        jsonschema.validate(bad, schema)
    except jsonschema.ValidationError as exc:
        errors.append(exc.message)
checks_for_one_schema = checks
try:
    jsonschema.validate({}, {"type": 12})
    schema_error = False
except jsonschema.SchemaError:
    schema_error = True
print(json.dumps({"patched_by": jsonschema.validate.__module__, "checks": checks_for_one_schema, "errors": errors,
                  "schema_error": schema_error}))
"""


def test_rasa_processes_check_the_action_response_schema_once(settings: Settings) -> None:
    python = settings.rasa_venv / "bin" / "python"
    if not python.exists():
        pytest.fail(f"{python} is missing: `make setup` builds .venv-rasa")
    done = subprocess.run([str(python), "-c", PROBE], env=rasa_process_env(settings), capture_output=True,
                          text=True, timeout=120, cwd=settings.root_dir)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["patched_by"] == "sitecustomize"
    assert result["checks"] == 1  # 22 validations of one schema, one meta-schema check
    assert result["errors"] == ["3 is not of type 'string'", "'event' is a required property"]
    assert result["schema_error"] is True  # a broken schema is still refused
