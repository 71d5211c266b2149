"""Evaluation of retrieval and NLU."""
