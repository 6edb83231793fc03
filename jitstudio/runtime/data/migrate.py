"""Bringing the tables in line with the models: once, under a lock, and never losing data unasked.

The fields each table was last built from are kept in `jit_model_schema`. Against them a model's current
fields give: added, dropped, renamed (an explicit `renamedFrom="old"` on the field, or one dropped and one
added field of the same datatype when that pairing is the only one possible) and retyped columns. Changes
are applied with Alembic's batch operations, which rebuild the table on SQLite and ALTER it elsewhere.

Every migration runs in one transaction that first takes the schema lock (`schema_lock`), then reads what
exists, so processes starting together migrate one after another and the later ones find nothing to do.
Dropping a column that holds values, or a type change that would alter values, is refused with the rows it
would cost (`MigrationError`) unless the caller allows data loss: an older app opening a database that a
newer one migrated must not delete the newer fields. `jit_schema_version` holds the layout version of the
runtime's own tables (`SCHEMA_VERSION`); a runtime older than the database refuses to open it.
"""
from __future__ import annotations

import json
import logging
import shlex
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import (
    Column, Connection, Engine, MetaData, String, Table, Text, cast, column, func, inspect, select, table, text, update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ColumnClause, ColumnElement
from sqlalchemy.types import TypeEngine

from ... import __version__
from ...errors import UserError
from ..records.schema import SCHEMA_LOCK_KEY, schema_lock
from .tables import ModelTable, internal_tables, type_from_key

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1  # the layout of internal_tables(); raise it when that layout changes
OLD_OUTBOX_INDEX = "ix_jit_event_outbox_pending"


class MigrationError(UserError, RuntimeError):
    """A model change the database refused, or one that would lose data; names the model and the field."""


@contextmanager
def schema_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction holding the schema lock, for creating or changing tables."""
    with engine.begin() as conn:
        schema_lock(conn)
        yield conn


@dataclass
class Plan:
    added: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    retyped: list[str] = field(default_factory=list)
    old_table: str | None = None

    def __bool__(self) -> bool:
        return bool(self.added or self.dropped or self.renamed or self.retyped)

    def describe(self, model: str) -> list[str]:
        out = [f"{model}: added field {n}" for n in self.added]
        out += [f"{model}: dropped field {n}" for n in self.dropped]
        out += [f"{model}: renamed field {a} to {b}" for a, b in self.renamed]
        out += [f"{model}: changed the type of field {n}" for n in self.retyped]
        return out

    def source_of(self, name: str) -> str:
        """The column a (possibly renamed) field's values come from."""
        return next((old for old, new in self.renamed if new == name), name)


def plan_changes(old: list[dict], new: list[dict]) -> Plan:
    old_by, new_by = {f["name"]: f for f in old}, {f["name"]: f for f in new}
    plan = Plan()
    added = [n for n in new_by if n not in old_by]
    dropped = [n for n in old_by if n not in new_by]
    for name in list(added):
        source = new_by[name].get("renamedFrom")
        if isinstance(source, str) and source in dropped:
            plan.renamed.append((source, name))
            added.remove(name)
            dropped.remove(source)
    by_type_added, by_type_dropped = defaultdict(list), defaultdict(list)
    for n in added:
        by_type_added[new_by[n]["datatype"]].append(n)
    for n in dropped:
        by_type_dropped[old_by[n]["datatype"]].append(n)
    for datatype, names in by_type_added.items():
        gone = by_type_dropped.get(datatype, [])
        if len(names) == 1 and len(gone) == 1:
            plan.renamed.append((gone[0], names[0]))
            added.remove(names[0])
            dropped.remove(gone[0])
    plan.added, plan.dropped = added, dropped
    for old_name, new_name in plan.renamed:
        if old_by[old_name]["sql"] != new_by[new_name]["sql"]:
            plan.retyped.append(new_name)
    plan.retyped += [n for n in new_by if n in old_by and old_by[n]["sql"] != new_by[n]["sql"]]
    return plan


@dataclass
class TableStep:
    """What one model's table needs: creating, renaming, altering, or only its stored fields written."""

    mt: ModelTable
    stored: tuple[str, list[dict]] | None
    old_fields: list[dict]
    create: bool = False
    renamed_from: str | None = None
    plan: Plan = field(default_factory=Plan)

    @property
    def source_table(self) -> str:
        return self.renamed_from or self.mt.table.name

    @property
    def pending(self) -> bool:
        return self.create or self.stored != (self.mt.table.name, self.mt.fields)

    def lines(self) -> list[str]:
        name, model = self.mt.table.name, self.mt.full_name
        out = [f"{model}: renamed table {self.renamed_from} to {name}"] if self.renamed_from else []
        out += [f"{model}: created table {name}"] if self.create else self.plan.describe(model)
        return out


@dataclass
class Loss:
    model: str
    field: str
    change: str
    rows: int

    def __str__(self) -> str:
        return f"{self.model}: {self.change} field {self.field} would lose the values of {self.rows} row{'s' * (self.rows != 1)}"


@dataclass
class SchemaPlan:
    """Every change one migration makes, read under the schema lock; `losses` are the changes that cost data."""

    missing_internal: list[str]
    stored_version: int | None
    steps: list[TableStep]
    losses: list[Loss]

    def lines(self) -> list[str]:
        out = [f"runtime: created table {name}" for name in self.missing_internal]
        if self.stored_version is not None and self.stored_version < SCHEMA_VERSION:
            out.append(f"runtime: schema version {self.stored_version} to {SCHEMA_VERSION}")
        return out + [line for step in self.steps for line in step.lines()]

    def refusal(self, app_dir: str | Path | None = None) -> str:
        target = shlex.quote(str(app_dir)) if app_dir is not None else "APP_DIR"
        return ("the database was left unchanged: these model changes would delete data\n"
                + "".join(f"  {loss}\n" for loss in self.losses)
                + "An older version of the app may be opening a database a newer version migrated; open it with the "
                f"newer version. To change the tables anyway, losing those values: jitstudio migrate {target} "
                "--allow-data-loss")


def plan_schema(conn: Connection, tables: dict[str, ModelTable]) -> SchemaPlan:
    """What migrating would do; reads only. Call it under `schema_lock`. Raises MigrationError when the
    database was migrated by a runtime whose internal tables are newer than this one's."""
    internal = internal_tables(MetaData())
    existing = set(inspect(conn).get_table_names())
    stored_version = _check_version(conn, internal["version"], existing)
    missing = [t.name for t in internal.values() if t.name not in existing]
    schema = internal["schema"]
    stored: dict[str, tuple[str, list[dict]]] = {}
    if schema.name in existing:
        stored = {r.model: (r.table_name, json.loads(r.fields)) for r in conn.execute(select(schema))}
    steps = [_plan_table(conn, mt, stored.get(mt.full_name), existing) for mt in tables.values()]
    losses = [loss for step in steps for loss in _losses(conn, step)]
    return SchemaPlan(missing, stored_version, [s for s in steps if s.pending], losses)


def apply_schema(conn: Connection, plan: SchemaPlan) -> None:
    internal = internal_tables(MetaData())
    for t in internal.values():
        if t.name in plan.missing_internal:
            t.create(conn)
    conn.exec_driver_sql(f"DROP INDEX IF EXISTS {OLD_OUTBOX_INDEX}")  # the queue no longer has one
    for step in plan.steps:
        _apply_step(conn, step, internal["schema"])
    if plan.lines() or plan.stored_version is None:
        _store_version(conn, internal["version"])


def sync_schema(engine: Engine, tables: dict[str, ModelTable], *, allow_data_loss: bool = False,
                app_dir: str | Path | None = None) -> list[str]:
    """Create missing tables and migrate changed ones under the schema lock; returns what changed, one line
    per change. A change that would lose data raises MigrationError unless `allow_data_loss`. When nothing
    is to change (every open but the first after a change) only reads run: no write lock is taken, so an app
    opens while another process holds the database's write lock."""
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as reader, reader.begin():
        if _current(plan_schema(reader, tables)):
            return []
    with schema_transaction(engine) as conn:
        plan = plan_schema(conn, tables)
        if plan.losses and not allow_data_loss:
            raise MigrationError(plan.refusal(app_dir))
        apply_schema(conn, plan)
    changes = plan.lines()
    for change in changes:
        log.info("schema: %s", change)
    return changes


def _current(plan: SchemaPlan) -> bool:
    return plan.stored_version == SCHEMA_VERSION and not plan.lines() and not plan.losses


def _check_version(conn: Connection, version: Table, existing: set[str]) -> int | None:
    if version.name not in existing:
        return None
    row = conn.execute(select(version.c.schema_version, version.c.jitstudio_version)).first()
    if row is None:
        return None
    if row.schema_version > SCHEMA_VERSION:
        raise MigrationError(
            f"this database was last migrated by jitstudio {row.jitstudio_version} to runtime schema version "
            f"{row.schema_version}; this jitstudio {__version__} knows schema version {SCHEMA_VERSION} and cannot "
            f"use it: upgrade jitstudio here to {row.jitstudio_version} or newer (pip install -U jitstudio), or "
            "open another database")
    return int(row.schema_version)


def _store_version(conn: Connection, version: Table) -> None:
    values = {"schema_version": SCHEMA_VERSION, "jitstudio_version": __version__, "migrated_at": time.time()}
    if not conn.execute(update(version).where(version.c.id == 1).values(**values)).rowcount:
        conn.execute(version.insert().values(id=1, **values))


def _plan_table(conn: Connection, mt: ModelTable, stored: tuple[str, list[dict]] | None, existing: set[str]) -> TableStep:
    name = mt.table.name
    renamed_from = None
    if stored and stored[0] != name and stored[0] in existing and name not in existing:
        renamed_from = stored[0]
    elif name not in existing:
        return TableStep(mt, stored, [], create=True)
    source = renamed_from or name
    old_fields = stored[1] if stored else _reflected(conn, source, mt)
    return TableStep(mt, stored, old_fields, renamed_from=renamed_from, plan=plan_changes(old_fields, mt.fields))


def _reflected(conn: Connection, name: str, mt: ModelTable) -> list[dict]:
    """A table made before schemas were kept: trust columns that exist, add the missing ones."""
    present = {c["name"] for c in inspect(conn).get_columns(name)}
    return [f for f in mt.fields if f["name"] in present]


def _losses(conn: Connection, step: TableStep) -> list[Loss]:
    if step.create or not step.plan:
        return []
    present = {c["name"] for c in inspect(conn).get_columns(step.source_table)}
    old_by, new_by = {f["name"]: f for f in step.old_fields}, {f["name"]: f for f in step.mt.fields}
    losses = []
    for name in step.plan.dropped:
        if name in present:
            rows = _count(conn, step.source_table, column(name).is_not(None))
            losses += [Loss(step.mt.full_name, name, "dropping", rows)] if rows else []
    for name in step.plan.retyped:
        source = step.plan.source_of(name)
        if source in present:
            rows = _changed_by_cast(conn, step.source_table, source, type_from_key(old_by[source]["sql"]),
                                    type_from_key(new_by[name]["sql"]))
            losses += [Loss(step.mt.full_name, name, "changing the type of", rows)] if rows else []
    return losses


def _count(conn: Connection, table_name: str, where: ColumnElement[bool]) -> int:
    return int(conn.execute(select(func.count()).select_from(table(table_name)).where(where)).scalar_one())


def _changed_by_cast(conn: Connection, table_name: str, name: str, old: TypeEngine, new: TypeEngine) -> int:
    """Rows whose value the column's new type would change: longer than a new text length, or not the same
    after a round trip through the new type (fractions cast to integers, datetimes to dates, …). A cast the
    database refuses counts every value."""
    col: ColumnClause[Any] = column(name)
    if isinstance(new, Text):
        return 0
    if isinstance(new, String):
        if new.length is None:
            return 0
        if isinstance(old, String) and not isinstance(old, Text) and old.length and old.length <= new.length:
            return 0
        changed = func.length(cast(col, Text)) > new.length
    else:
        changed = cast(cast(col, new), old).is_distinct_from(col)
    try:
        with conn.begin_nested():
            return _count(conn, table_name, col.is_not(None) & changed)
    except DBAPIError:
        return _count(conn, table_name, col.is_not(None))


def _store(conn: Connection, schema: Table, mt: ModelTable, exists: bool) -> None:
    values = {"table_name": mt.table.name, "fields": json.dumps(mt.fields)}
    if exists:
        conn.execute(update(schema).where(schema.c.model == mt.full_name).values(**values))
    else:
        conn.execute(schema.insert().values(model=mt.full_name, **values))


def _operations(conn: Connection):
    from alembic.migration import MigrationContext  # imported only when a table changes: it is slow to load
    from alembic.operations import Operations

    return Operations(MigrationContext.configure(conn))


def _fresh(col: Column) -> Column:
    return Column(col.name, col.type, nullable=True, unique=bool(col.unique))


def _apply_step(conn: Connection, step: TableStep, schema: Table) -> None:
    if step.renamed_from:
        _operations(conn).rename_table(step.renamed_from, step.mt.table.name)
    if step.create:
        step.mt.table.create(conn)
    elif step.plan:
        _apply(conn, step.mt, step.plan, {f["name"]: f for f in step.old_fields})
    _store(conn, schema, step.mt, step.stored is not None)


def _apply(conn: Connection, mt: ModelTable, plan: Plan, old_by: dict[str, dict]) -> None:
    tbl = mt.table
    sqlite = conn.dialect.name == "sqlite"
    ops = _operations(conn)
    try:
        with ops.batch_alter_table(tbl.name, recreate="always" if sqlite else "never") as batch:
            for old_name, new_name in plan.renamed:
                batch.alter_column(old_name, new_column_name=new_name, existing_type=type_from_key(old_by[old_name]["sql"]))
            for name in plan.dropped:
                batch.drop_column(name)
            for name in plan.added:
                batch.add_column(_fresh(tbl.c[name]))
            for name in plan.retyped:
                new_type = tbl.c[name].type
                using = f'"{name}"::{new_type.compile(dialect=conn.dialect)}'
                batch.alter_column(name, type_=new_type, existing_type=type_from_key(old_by[plan.source_of(name)]["sql"]),
                                   postgresql_using=using)
    except Exception as exc:  # the database's own words, with the model named
        raise MigrationError(f"{mt.full_name}: cannot migrate table {tbl.name}: {exc}") from exc
    for name in plan.added:
        if name in mt.defaults and mt.defaults[name] is not None:
            conn.execute(update(tbl).where(tbl.c[name].is_(None)).values({name: mt.defaults[name]}))
    indexed = {i["name"] for i in inspect(conn).get_indexes(tbl.name)}
    for index in tbl.indexes:
        if index.name not in indexed:
            index.create(conn, checkfirst=True)
