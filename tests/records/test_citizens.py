"""Citizens: seeded once, registration numbers encrypted at rest and shown masked, households related."""

from __future__ import annotations

import pytest

from assistant import services
from assistant.records.demo_residents import DEMO_PIN, DEMO_RESIDENTS


@pytest.fixture(autouse=True)
def records_database(settings, database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    """The services' database for this test: SQLite in the test's var/, or a fresh PostgreSQL schema."""
    from assistant.settings import get_settings

    if database_url.startswith("postgresql"):
        monkeypatch.setenv("DATABASE_URL", database_url)
    else:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    get_settings.cache_clear()
    services.reset()
    return get_settings().effective_database_url


def _every_stored_value(url: str) -> str:
    # Every row of every table as text: what a database dump would show.
    from sqlalchemy import MetaData, create_engine, select

    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        rows = [str(tuple(row)) for table in metadata.sorted_tables for row in connection.execute(select(table))]
    engine.dispose()
    return "\n".join(rows)


def test_seeding_is_idempotent(settings) -> None:  # type: ignore[no-untyped-def]
    directory = services.citizen_directory()
    assert directory.seed_demo() == 0  # already seeded on first use
    assert len(directory.can_sign_in()) == sum(1 for r in DEMO_RESIDENTS if r["pin"])


def test_no_raw_registration_number_or_phone_is_stored(records_database: str) -> None:
    services.citizen_directory()
    dump = _every_stored_value(records_database)
    for resident in DEMO_RESIDENTS:
        assert resident["rrn"] not in dump and resident["rrn"].replace("-", "") not in dump
        assert resident["rrn"].split("-")[1] not in dump
        if resident["phone"]:
            assert resident["phone"] not in dump
    assert "900101-1******" in dump


def test_the_full_number_is_only_decrypted_on_request(settings) -> None:  # type: ignore[no-untyped-def]
    directory = services.citizen_directory()
    citizen = directory.get("c-1001")
    assert citizen is not None and citizen.rrn_masked == "900101-1******"
    assert directory.registration_number(citizen) == "900101-1234567"


def test_prefill_view_is_masked_and_names_the_household(settings) -> None:  # type: ignore[no-untyped-def]
    directory = services.citizen_directory()
    view = directory.prefill_view(directory.get("c-1002"))  # type: ignore[arg-type]
    assert "1234567" not in str(view) and "2345678" not in str(view) and "010-" not in str(view)
    relations = {m["name"]: m["relation"] for m in view["household"]}
    assert relations == {"김민준": "spouse", "김하린": "child"}


def test_pin_check(settings) -> None:  # type: ignore[no-untyped-def]
    directory = services.citizen_directory()
    assert directory.check_pin("c-1001", DEMO_PIN) is not None
    assert directory.check_pin("c-1001", "0000") is None
    assert directory.check_pin("c-1003", DEMO_PIN) is None  # a child cannot sign in
    assert directory.check_pin("nobody", DEMO_PIN) is None
