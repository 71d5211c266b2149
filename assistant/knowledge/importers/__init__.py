"""Importers of open data into a knowledge-base folder (one guide file per service)."""

from assistant.knowledge.importers.common import ImportReport, write_guides

__all__ = ["ImportReport", "write_guides"]
