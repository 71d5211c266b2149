"""Custom Rasa NLU components. Imported by Rasa inside `.venv-rasa` (Python 3.10): import only
what that environment has (rasa, kiwipiepy, numpy, spaCy 3.4, the standard library)."""
