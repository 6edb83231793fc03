"""Schema changes that keep data unless asked, refuse a database newer than the runtime, and run once when
several processes start together (SQLite, and PostgreSQL when $JITSTUDIO_TEST_PG_URL is set)."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, inspect, select

from _runtime_support import db_url, make_app, pg_schema_url, pg_unavailable, write  # noqa: F401 - db_url is a fixture
from jitstudio import __version__, cli
from jitstudio.runtime import MigrationError, Runtime
from jitstudio.runtime.data import internal_tables, resolve_db_url
from jitstudio.runtime.data import migrate

OLDER = 'name = datatypes.Stext(name="name", maxLen=50)'
NEWER = OLDER + '\ncolor = datatypes.Stext(name="color")'


def set_fields(app: Path, fields: str) -> None:
    body = "\n".join("    " + line for line in fields.splitlines())
    write(app / "models" / "Item" / "model.py",
          "from datatypes.Meta import datatypes\nfrom models.NormalType import NormalModel\n\n\n"
          f"class Item(NormalModel):\n    id = datatypes.AutoInt(name=\"id\", primaryKey=1)\n{body}\n")


def columns(app: Path, url: str | None) -> set[str]:
    engine = create_engine(resolve_db_url(app, url)[0])
    try:
        return {c["name"] for c in inspect(engine).get_columns("models_Item")}
    finally:
        engine.dispose()


def test_an_older_app_keeps_the_field_a_newer_one_added(tmp_path, db_url):
    app = make_app(tmp_path / "app", models={"Item": NEWER})
    with Runtime(app, db_url, async_worker=False) as rt:
        rt.app.models.Item.createOrUpdateMany([{"name": "a", "color": "red"}, {"name": "b", "color": "blue"}])
    set_fields(app, OLDER)
    with pytest.raises(MigrationError) as refused:
        Runtime(app, db_url, async_worker=False)
    message = str(refused.value)
    assert "models.Item: dropping field color would lose the values of 2 rows" in message
    assert f"jitstudio migrate {app.resolve()} --allow-data-loss" in message
    assert "color" in columns(app, db_url)

    set_fields(app, NEWER)
    with Runtime(app, db_url, async_worker=False) as rt:
        assert rt.schema_changes == []
        assert [r["color"] for r in rt.app.models.Item.query(orderList=[["id", 1]])["rowDatas"].value] == ["red", "blue"]

    set_fields(app, OLDER)
    with Runtime(app, db_url, async_worker=False, allow_data_loss=True) as rt:
        assert rt.schema_changes == ["models.Item: dropped field color"]
        assert rt.app.models.Item.count() == 2
    assert "color" not in columns(app, db_url)


def test_an_empty_column_is_dropped_without_asking(tmp_path, db_url):
    app = make_app(tmp_path / "app", models={"Item": NEWER})
    with Runtime(app, db_url, async_worker=False) as rt:
        rt.app.models.Item.create({"name": "a"})
    set_fields(app, OLDER)
    with Runtime(app, db_url, async_worker=False) as rt:
        assert rt.schema_changes == ["models.Item: dropped field color"]
        assert rt.app.models.Item.count() == 1


def test_a_type_change_that_would_alter_values_is_refused(tmp_path, db_url):
    before = 'name = datatypes.Stext(name="name", maxLen=50)\nqty = datatypes.Numeric(name="qty", decimal=2)'
    app = make_app(tmp_path / "app", models={"Item": before})
    with Runtime(app, db_url, async_worker=False) as rt:
        rt.app.models.Item.createOrUpdateMany([{"name": "short", "qty": "2"}, {"name": "a longer name", "qty": "1.25"}])
    set_fields(app, 'name = datatypes.Stext(name="name", maxLen=8)\nqty = datatypes.Numeric(name="qty", decimal=0)')
    with pytest.raises(MigrationError) as refused:
        Runtime(app, db_url, async_worker=False)
    assert "models.Item: changing the type of field name would lose the values of 1 row" in str(refused.value)
    assert "models.Item: changing the type of field qty would lose the values of 1 row" in str(refused.value)
    set_fields(app, 'name = datatypes.Stext(name="name", maxLen=80)\nqty = datatypes.Numeric(name="qty", decimal=4)')
    with Runtime(app, db_url, async_worker=False) as rt:
        assert sorted(rt.schema_changes) == ["models.Item: changed the type of field name",
                                             "models.Item: changed the type of field qty"]
        assert [r["name"] for r in rt.app.models.Item.query(orderList=[["id", 1]])["rowDatas"].value] == ["short", "a longer name"]


def test_a_runtime_older_than_the_database_refuses_to_open_it(tmp_path, db_url, monkeypatch):
    app = make_app(tmp_path / "app", models={"Item": OLDER})
    Runtime(app, db_url, async_worker=False).close()
    engine = create_engine(resolve_db_url(app, db_url)[0])
    with engine.connect() as conn:
        row = conn.execute(select(internal_tables(MetaData())["version"])).one()
    engine.dispose()
    assert (row.id, row.schema_version, row.jitstudio_version) == (1, migrate.SCHEMA_VERSION, __version__)

    monkeypatch.setattr(migrate, "SCHEMA_VERSION", migrate.SCHEMA_VERSION - 1)
    with pytest.raises(MigrationError) as refused:
        Runtime(app, db_url, async_worker=False)
    message = str(refused.value)
    assert f"schema version {migrate.SCHEMA_VERSION + 1}" in message and f"knows schema version {migrate.SCHEMA_VERSION}" in message
    assert f"jitstudio {__version__}" in message and "pip install -U jitstudio" in message


# -- jitstudio migrate -------------------------------------------------------------------------------------

def migrate_cli(capsys, *args) -> tuple[int, str, str]:
    code = cli.main(["migrate", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_prints_the_plan_and_a_dry_run_changes_nothing(tmp_path, db_url, capsys):
    app = make_app(tmp_path / "app", models={"Item": OLDER})
    db = ["--db", db_url] if db_url else []
    code, out, _ = migrate_cli(capsys, app, *db, "--dry-run")
    assert code == 0 and "models.Item: created table models_Item" in out.splitlines()
    engine = create_engine(resolve_db_url(app, db_url)[0])
    assert "models_Item" not in inspect(engine).get_table_names()
    assert migrate_cli(capsys, app, *db)[0] == 0
    set_fields(app, NEWER)
    code, out, err = migrate_cli(capsys, app, *db, "--dry-run")
    assert (code, out) == (0, "models.Item: added field color\n") and "dry run, 1 change not made" in err
    assert "color" not in columns(app, db_url)
    code, out, err = migrate_cli(capsys, app, *db)
    assert (code, out) == (0, "models.Item: added field color\n") and "made 1 change" in err
    assert "color" in columns(app, db_url)
    code, out, err = migrate_cli(capsys, app, *db)
    assert (code, out) == (0, "") and "up to date" in err
    engine.dispose()


def test_the_command_exits_2_when_it_would_lose_data_until_allowed(tmp_path, db_url, capsys):
    app = make_app(tmp_path / "app", models={"Item": NEWER})
    with Runtime(app, db_url, async_worker=False) as rt:
        rt.app.models.Item.create({"name": "a", "color": "red"})
    set_fields(app, OLDER)
    db = ["--db", db_url] if db_url else []
    code, out, err = migrate_cli(capsys, app, *db)
    assert (code, out) == (2, "models.Item: dropped field color\n")
    assert "dropping field color would lose the values of 1 row" in err and "--allow-data-loss" in err
    assert migrate_cli(capsys, app, *db, "--dry-run", "--allow-data-loss")[0] == 0
    assert "color" in columns(app, db_url)
    assert migrate_cli(capsys, app, *db, "--allow-data-loss")[:2] == (0, "models.Item: dropped field color\n")
    assert "color" not in columns(app, db_url)
    code, _, err = migrate_cli(capsys, tmp_path / "nowhere")
    assert code == 2 and "is not an app folder" in err


# -- processes starting together -----------------------------------------------------------------------------

OPENER = """
import sys, time
from pathlib import Path
app, url, go, whole = sys.argv[1], sys.argv[2], Path(sys.argv[3]), sys.argv[4] == "runtime"
from sqlalchemy import MetaData
from jitstudio.project import load_project
from jitstudio.runtime import Runtime
from jitstudio.runtime.data import build_table, make_engine, sync_schema
metadata = MetaData()
tables = {m.full_name: build_table(m, metadata) for m in load_project(app).models}
engine = make_engine(url)
print("ready", flush=True)
while not go.exists():
    time.sleep(0.002)
if whole:
    Runtime(app, url, async_worker=False).close()
else:
    sync_schema(engine, tables)
"""
PROCESSES, TRIALS = 6, 3


def start_together(tmp_path: Path, app: Path, url: str, what: str) -> list[str]:
    """Start PROCESSES openers, release them at once; the errors they printed."""
    go = tmp_path / f"go-{time.monotonic_ns()}"
    procs = [subprocess.Popen([sys.executable, "-c", OPENER, str(app), url, str(go), what],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(PROCESSES)]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    go.touch()
    errors = []
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        if proc.returncode:
            lines = [line for line in err.strip().splitlines() if not line.startswith("(Background on this error")]
            errors.append(lines[-1] if lines else f"exit {proc.returncode}")
    return errors


def fresh_url(tmp_path: Path, backend: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / f'data-{time.monotonic_ns()}.db'}"
    reason = pg_unavailable()
    if reason:
        pytest.skip(reason)
    return pg_schema_url()


MODELS = {"Item": NEWER, "Other": 'n = datatypes.Numeric(name="n", decimal=0)\nwhen = datatypes.Datetime(name="when")'}


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_processes_migrating_an_empty_database_together_all_succeed(tmp_path, backend):
    app = make_app(tmp_path / "app", models=MODELS)
    for _ in range(TRIALS):
        url = fresh_url(tmp_path, backend)
        assert start_together(tmp_path, app, url, "schema") == []
        engine = create_engine(url)
        with engine.connect() as conn:
            assert {"models_Item", "models_Other", "jit_schema_version"} <= set(inspect(conn).get_table_names())
            assert conn.exec_driver_sql("select count(*) from jit_model_schema").scalar_one() == 2
        engine.dispose()


@pytest.mark.postgres
def test_runtimes_opening_an_empty_postgresql_database_together_all_succeed(tmp_path):
    app = make_app(tmp_path / "app", models=MODELS)
    for _ in range(TRIALS):
        assert start_together(tmp_path, app, fresh_url(tmp_path, "postgresql"), "runtime") == []


def test_a_field_added_with_an_index_gets_it(tmp_path, db_url):
    app = make_app(tmp_path / "app", models={"Item": OLDER})
    Runtime(app, db_url, async_worker=False).close()
    set_fields(app, OLDER + '\ncode = datatypes.Stext(name="code", dbIndex=1)')
    with Runtime(app, db_url, async_worker=False) as rt:
        assert rt.schema_changes == ["models.Item: added field code"]
        assert "ix_models_Item_code" in {i["name"] for i in inspect(rt.engine).get_indexes("models_Item")}


def test_a_new_sqlite_database_opens_in_wal_while_another_connection_holds_it(tmp_path):
    """Switching to WAL needs the file to itself, and SQLite refuses at once rather than waiting; several
    processes opening a new database together hit this."""
    import sqlite3
    import threading

    from jitstudio.runtime.data import make_engine

    path = tmp_path / "new.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, holder.execute, ("COMMIT",))
    release.start()
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    finally:
        release.join()
        holder.close()
        engine.dispose()
