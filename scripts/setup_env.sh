#!/usr/bin/env bash
# Build or refresh one of the two virtual environments; a no-op when its requirements did not change.
#   scripts/setup_env.sh service    -> .venv       (Python 3.11: FastAPI, rasa-sdk, retrieval, ...)
#   scripts/setup_env.sh rasa       -> .venv-rasa  (Python 3.10: Rasa Open Source 3.6.21)
set -euo pipefail
cd "$(dirname "$0")/.."
which_env="$1"

case "$which_env" in
  service) venv=.venv;      version=3.11; var=ASSISTANT_PYTHON; reqs=requirements/service.in; lock=requirements/service.lock ;;
  rasa)    venv=.venv-rasa; version=3.10; var=RASA_PYTHON;      reqs=requirements/rasa.in;    lock=requirements/rasa.lock ;;
  *) echo "usage: $0 service|rasa" >&2; exit 2 ;;
esac

stamp="$venv/.requirements.sha256"
want_hash=$(cat "$reqs" "$lock" pyproject.toml 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_hash" ]; then
  exit 0
fi

python=$(scripts/find_python.sh "$version" "$var")
echo "==> Building $venv with $python ($(date +%H:%M:%S)); this takes a few minutes the first time."
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip --disable-pip-version-check)
quiet() { grep -v -e "is ignored: it is neither a file nor a directory" -e "^DEPRECATION" -e "legacy 'setup.py install'" || true; }

if [ "$which_env" = service ]; then
  # torch first and alone, from the CPU build: a plain resolver run could pick a CUDA build (GBs).
  "${pip[@]}" install -q "torch==2.13.0" 2>&1 | quiet
  if ! "$venv/bin/python" -W ignore -c 'import sys, torch; sys.exit(0 if torch.version.cuda is None else 1)'; then
    echo "error: pip installed a CUDA build of torch; install the CPU build of torch==2.13.0 first" >&2
    exit 1
  fi
fi
"${pip[@]}" install -q -r "$reqs" -c "$lock" 2>&1 | quiet
if [ "$which_env" = service ]; then
  "${pip[@]}" install -q --no-deps --no-build-isolation -e . 2>&1 | quiet
fi
"$venv/bin/python" -c 'import sys; print("    ", sys.executable, sys.version.split()[0])'
echo "$want_hash" > "$stamp"
echo "==> $venv ready ($(du -sh "$venv" | cut -f1))."
