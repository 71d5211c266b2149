"""Benchmarks (`make bench`): speed and memory figures, written to reports/bench/."""
