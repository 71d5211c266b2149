#!/usr/bin/env bash
# Print the path of a Python interpreter of the wanted minor version, or explain how to get one.
#   scripts/find_python.sh 3.10 RASA_PYTHON       (Rasa 3.6 needs 3.8-3.10; we use 3.10)
#   scripts/find_python.sh 3.11 ASSISTANT_PYTHON
# Order: the environment variable named by $2, then pythonX.Y on PATH, then pyenv's versions.
set -euo pipefail
want="$1"
var="${2:-}"

works() {  # an interpreter that really runs and is the wanted version (pyenv shims may not be)
  [ -n "$1" ] && [ -x "$1" ] || command -v "$1" >/dev/null 2>&1 || return 1
  local got
  got=$("$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || return 1
  [ "$got" = "$want" ]
}

if [ -n "$var" ] && [ -n "${!var:-}" ]; then
  if works "${!var}"; then command -v "${!var}" || echo "${!var}"; exit 0; fi
  echo "error: $var=${!var} is not a working Python $want interpreter." >&2
  exit 1
fi

if works "python$want"; then
  # Resolve pyenv shims to the real binary so the venv does not depend on pyenv's selection.
  "python$want" -c 'import sys; print(sys.executable)'
  exit 0
fi

pyenv_root="${PYENV_ROOT:-}"
if [ -z "$pyenv_root" ] && command -v pyenv >/dev/null 2>&1; then pyenv_root="$(pyenv root)"; fi
[ -z "$pyenv_root" ] && pyenv_root="$HOME/.pyenv"
for candidate in $(ls -d "$pyenv_root"/versions/"$want".* 2>/dev/null | sort -rV); do
  if works "$candidate/bin/python$want"; then echo "$candidate/bin/python$want"; exit 0; fi
done

cat >&2 <<MSG
error: no Python $want found.
  This project needs Python $want for ${var:-this environment}.
  Looked at: \$${var:-(none)}, python$want on PATH, and pyenv versions under $pyenv_root/versions.
  Get one with any of:
    pyenv install $want            (then run make again)
    apt-get install python$want python$want-venv
  or point $var at an interpreter:  $var=/path/to/python$want make run
MSG
exit 1
