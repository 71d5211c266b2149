# One command to run, one to test. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
ASSISTANT := $(VENV)/bin/assistant
PYTEST := $(VENV)/bin/python -m pytest
export RASA_TELEMETRY_ENABLED := false

.PHONY: help setup setup-service setup-rasa setup-web setup-browser train index run services run-scaled test test-browser test-fast bench bench-load bench-crash lock clean

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

# The two environments are built side by side: each pip install keeps about one core busy, so on a
# fresh 2-core machine they take 163 s together instead of 304 s one after the other (warm pip cache).
setup: ## Build .venv (Python 3.11) and .venv-rasa (Python 3.10) when missing or outdated, both at once
	@$(MAKE) --no-print-directory -j2 setup-service setup-rasa

setup-service:
	@scripts/setup_env.sh service

setup-rasa:
	@scripts/setup_env.sh rasa

setup-web: ## Install the JavaScript the app serves (hangul-js for the kiosk keyboard, axe-core) with npm ci
	@scripts/setup_browser.sh --web-only

setup-browser: ## Install Debian's chromium (apt-get, when missing) and axe-core (npm ci) for the browser tests
	@scripts/setup_browser.sh

train: setup ## Train the Rasa model and index the knowledge base, only what changed
	@$(ASSISTANT) train

run: train setup-web ## Set up, train and index when needed, start Rasa + the service; prints the URL
	@$(ASSISTANT) serve

services: ## Start PostgreSQL and Redis on loopback (data in var/backing/; apt-get installs them when missing)
	@scripts/backing_services.sh start

run-scaled: train setup-web services ## Scaled profile: records + trackers in PostgreSQL, Rasa locks in Redis, 2 Rasa replicas, 2 workers
	@backing=$$(scripts/backing_services.sh env) && set -a && eval "$$backing" && set +a && \
	  $(ASSISTANT) serve --rasa-replicas $${RASA_REPLICAS:-2} --workers $${WORKERS:-2}

test: setup setup-browser services ## Set up what the tests need, train when needed, run every test (unit, slow, integration)
	@$(ASSISTANT) train
	@echo "==> Rasa-side tests (.venv-rasa)"
	@PYTHONPATH=. .venv-rasa/bin/python -m pytest -q -p no:cacheprovider -W ignore::DeprecationWarning -W ignore::pytest.PytestConfigWarning tests/nlu
	@echo "==> Service tests (.venv; PostgreSQL and Redis from scripts/backing_services.sh)"
	@backing=$$(scripts/backing_services.sh env --test) && set -a && eval "$$backing" && set +a && $(PYTEST) -q

test-browser: setup-service setup-browser ## Browser tests only: web chat and kiosk in headless chromium
	@$(ASSISTANT) train
	@$(PYTEST) -q tests/browser

test-fast: setup-service ## Unit tests only (no model training, no processes)
	@$(PYTEST) -q -m "not slow and not integration"

bench: setup ## Run the benchmarks; results go to reports/bench/
	@$(VENV)/bin/python -m benchmarks.run

bench-load: train ## 20 citizens for 60 s against the system, and bare Rasa (LOAD_ARGS="--url http://127.0.0.1:8000" for make run)
	@$(VENV)/bin/python -m benchmarks.load $(LOAD_ARGS)

bench-crash: train ## 20 kill -9 trials of the service during a submission; reports/bench/crash_trials.json
	@$(VENV)/bin/python -m benchmarks.crash_trials --trials 20

lock: ## Freeze the resolved versions of both environments into requirements/*.lock
	@$(VENV)/bin/pip freeze --exclude-editable | grep -v '^gov-assistant' | sed 's/^torch==\(.*\)+cpu/torch==\1/' > requirements/service.lock
	@.venv-rasa/bin/pip freeze > requirements/rasa.lock

clean: ## Remove built models, indexes and runtime data (keeps the venvs)
	rm -rf models var artifacts reports
