"""Kill -9 of the service during a submission: after a restart, one application or none, never two.

Real Rasa and the real service run as separate process groups on one var folder; the service is
killed with SIGKILL during the citizen's "네" at the summary of a resident-certificate request and
restarted. Two trials here (the service restarts in ~30-60 s on this machine): one killed the
instant the application row is committed (before the action answers Rasa), one after a random
delay inside the turn. `python -m benchmarks.crash_trials --trials 20` runs the full 20.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from benchmarks.crash_trials import System, run_trial, submitting_turn_seconds

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    running = System(tmp_path_factory.mktemp("crash") / "var")
    try:
        running.start_rasa()
        running.start_service()
        running.wait_ready()
        yield running
    finally:
        running.stop()


def test_kill_on_the_db_write_then_restart_files_one_and_says_its_receipt(system: System) -> None:
    trial = run_trial(system, "c-1001", "on_db_write", None, "db")
    assert trial.applications_after == 1, trial  # the row was committed before the kill
    assert trial.told == "receipt", trial
    assert trial.certificate_downloadable is True, trial  # the PDF the kill interrupted is issued on demand
    assert trial.ok, trial


def test_kill_at_a_random_moment_of_the_turn_leaves_one_or_none_and_the_citizen_knows(system: System) -> None:
    delay = round(random.uniform(0.0, 1.3 * submitting_turn_seconds(system, random.Random())), 3)
    trial = run_trial(system, "c-2001", "delay", delay, "random")
    assert trial.applications_after in (0, 1), trial
    assert trial.told in ("receipt", "nothing_filed"), trial
    if trial.applications_after == 0:
        assert trial.resubmitted == 1, trial  # asking again files exactly one
    assert trial.ok, trial


def test_the_crash_harness_counts_what_the_database_holds(tmp_path: Path) -> None:
    """The harness reads applications straight from the SQLite file (no service involved)."""
    import sqlite3

    var = tmp_path / "var"
    var.mkdir()
    with sqlite3.connect(var / "assistant.db") as db:
        db.execute("CREATE TABLE applications (id INTEGER PRIMARY KEY, receipt_number TEXT, kind TEXT, citizen_ref TEXT)")
        db.execute("INSERT INTO applications VALUES (1, '2026-RC-000001', 'resident_certificate', 'citizen:c-1')")
        db.execute("INSERT INTO applications VALUES (2, '2026-RC-000002', 'resident_certificate', 'citizen:c-2')")
    assert System(var).applications("c-1") == [("2026-RC-000001", "resident_certificate")]
