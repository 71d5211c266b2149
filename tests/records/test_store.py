"""Records store: receipt numbers, idempotent submission, citizens see only their own applications."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.records import Database, RecordsStore
from assistant.records.receipts import format_receipt_number, is_receipt_number


@pytest.fixture()
def store(database_url: str) -> Iterator[RecordsStore]:
    database = Database(database_url)
    database.create_schema()
    yield RecordsStore(database)
    database.dispose()


def test_receipt_number_shape() -> None:
    assert format_receipt_number("birth_registration", 2026, 123) == "2026-BR-000123"
    assert is_receipt_number("2026-br-000123")
    assert not is_receipt_number("2026-BR-12")
    with pytest.raises(KeyError):
        format_receipt_number("unknown", 2026, 1)


def test_submit_issues_a_receipt_number_and_persists(store: RecordsStore) -> None:
    application = store.submit("birth_registration", "citizen:1", {"child_name": "김하늘"}, "key-1")
    assert application.receipt_number is not None
    assert is_receipt_number(application.receipt_number)
    found = store.find_for_citizen(application.receipt_number, "citizen:1")
    assert found is not None and found.payload == {"child_name": "김하늘"}


def test_submit_twice_with_the_same_key_files_one_application(store: RecordsStore) -> None:
    first = store.submit("birth_registration", "citizen:1", {"a": 1}, "same-key")
    second = store.submit("birth_registration", "citizen:1", {"a": 1}, "same-key")
    assert first.receipt_number == second.receipt_number
    assert len(store.list_for_citizen("citizen:1")) == 1


def test_concurrent_retries_file_one_application(store: RecordsStore) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        receipts = set(pool.map(lambda _: store.submit("birth_registration", "c", {}, "race").receipt_number, range(8)))
    assert len(receipts) == 1
    assert len(store.list_for_citizen("c")) == 1


def test_another_citizens_application_is_not_found(store: RecordsStore) -> None:
    application = store.submit("birth_registration", "citizen:1", {}, "k")
    assert application.receipt_number is not None
    assert store.find_for_citizen(application.receipt_number, "citizen:2") is None
    assert store.list_for_citizen("citizen:2") == []


def test_status_is_stored_as_its_readable_value(store: RecordsStore) -> None:
    from sqlalchemy import text

    store.submit("birth_registration", "c", {}, "k-status")
    with store.database.engine.connect() as connection:
        assert connection.execute(text("select status from applications")).scalar() == "submitted"


def test_status_moves_only_along_the_review(store: RecordsStore) -> None:
    from assistant.records.models import ApplicationStatus as S
    from assistant.records.store import IllegalTransition

    receipt = store.submit("move_in", "citizen:1", {}, "k-status").receipt_number
    assert receipt is not None
    with pytest.raises(IllegalTransition):
        store.move_status(receipt, S.APPROVED)  # must be reviewed first
    assert store.move_status(receipt, S.IN_REVIEW).status is S.IN_REVIEW
    rejected = store.move_status(receipt, S.REJECTED, "서류 불명확")
    assert (rejected.status, rejected.status_note) == (S.REJECTED, "서류 불명확")
    with pytest.raises(IllegalTransition):
        store.move_status(receipt, S.IN_REVIEW)  # final
    with pytest.raises(LookupError):
        store.move_status("2026-MI-999999", S.IN_REVIEW)


def test_old_databases_get_the_new_columns(database_url: str) -> None:
    from sqlalchemy import create_engine, text

    # The applications table as the first release made it: no `attachments` column.
    postgres = database_url.startswith("postgresql")
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text(
            f"create table applications (id {'serial' if postgres else 'integer'} primary key,"
            " receipt_number varchar(32), kind varchar(40), citizen_ref varchar(128), idempotency_key varchar(128),"
            f" payload json, status varchar(16), status_note varchar(1000),"
            f" created_at {'timestamptz' if postgres else 'datetime'}, updated_at {'timestamptz' if postgres else 'datetime'})"
        ))
    engine.dispose()
    database = Database(database_url)
    database.create_schema()
    assert RecordsStore(database).submit("move_in", "citizen:1", {}, "k", [{"document": "id"}]).attachments == [{"document": "id"}]
    database.dispose()
