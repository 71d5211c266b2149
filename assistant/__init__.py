"""Korean-first government-service assistant.

Kept import-free on purpose: `assistant.nlu` is imported by Rasa inside `.venv-rasa`
(Python 3.10, pydantic 1, no FastAPI), so nothing here may pull in service-side packages.
"""

__version__ = "0.1.0"
