"""Bringing the tables in line with the models when the runtime opens, without losing rows.

The fields each table was last built from are kept in `jit_model_schema`. Against them a model's current
fields give: added, dropped, renamed (an explicit `renamedFrom="old"` on the field, or one dropped and one
added field of the same datatype when that pairing is the only one possible) and retyped columns. Changes
are applied with Alembic's batch operations, which rebuild the table on SQLite and ALTER it elsewhere.
"""
from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Column, Connection, Engine, MetaData, Table, inspect, select, update

from ...errors import UserError
from .tables import ModelTable, internal_tables, type_from_key

log = logging.getLogger(__name__)


class MigrationError(UserError, RuntimeError):
    """A model change the database refused; names the model, the table and the field."""


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


def plan_changes(old: list[dict], new: list[dict]) -> Plan:
    old_by, new_by = {f["name"]: f for f in old}, {f["name"]: f for f in new}
    plan = Plan()
    added = [n for n in new_by if n not in old_by]
    dropped = [n for n in old_by if n not in new_by]
    for name in list(added):
        source = new_by[name].get("renamedFrom")
        if source in dropped:
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


OLD_OUTBOX_INDEX = "ix_jit_event_outbox_pending"


def sync_schema(engine: Engine, tables: dict[str, ModelTable]) -> list[str]:
    """Create missing tables and migrate changed ones; returns what changed, one line per change."""
    internal = internal_tables(MetaData())
    changes: list[str] = []
    with engine.begin() as conn:
        for table in internal.values():
            table.create(conn, checkfirst=True)
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {OLD_OUTBOX_INDEX}")  # the queue no longer has one
        schema = internal["schema"]
        stored = {r.model: (r.table_name, json.loads(r.fields)) for r in conn.execute(select(schema))}
        existing = set(inspect(conn).get_table_names())
        for mt in tables.values():
            name = mt.table.name
            previous = stored.get(mt.full_name)
            if previous and previous[0] != name and previous[0] in existing and name not in existing:
                _operations(conn).rename_table(previous[0], name)
                existing.add(name)
                changes.append(f"{mt.full_name}: renamed table {previous[0]} to {name}")
            if name not in existing:
                mt.table.create(conn)
                changes.append(f"{mt.full_name}: created table {name}")
            else:
                old_fields = previous[1] if previous else _reflected(conn, name, mt)
                plan = plan_changes(old_fields, mt.fields)
                if plan:
                    _apply(conn, mt, plan, {f["name"]: f for f in old_fields})
                    changes += plan.describe(mt.full_name)
            _store(conn, schema, mt, previous is not None)
    for change in changes:
        log.info("schema: %s", change)
    return changes


def _reflected(conn: Connection, name: str, mt: ModelTable) -> list[dict]:
    """A table made before schemas were kept: trust columns that exist, add the missing ones."""
    present = {c["name"] for c in inspect(conn).get_columns(name)}
    return [f for f in mt.fields if f["name"] in present]


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


def _fresh(column: Column) -> Column:
    return Column(column.name, column.type, nullable=True, unique=bool(column.unique))


def _apply(conn: Connection, mt: ModelTable, plan: Plan, old_by: dict[str, dict]) -> None:
    table = mt.table
    sqlite = conn.dialect.name == "sqlite"
    ops = _operations(conn)
    try:
        with ops.batch_alter_table(table.name, recreate="always" if sqlite else "never") as batch:
            for old_name, new_name in plan.renamed:
                batch.alter_column(old_name, new_column_name=new_name, existing_type=type_from_key(old_by[old_name]["sql"]))
            for name in plan.dropped:
                batch.drop_column(name)
            for name in plan.added:
                batch.add_column(_fresh(table.c[name]))
            for name in plan.retyped:
                source = next((o for o, n in plan.renamed if n == name), name)
                new_type = table.c[name].type
                using = f'"{name}"::{new_type.compile(dialect=conn.dialect)}'
                batch.alter_column(name, type_=new_type, existing_type=type_from_key(old_by[source]["sql"]), postgresql_using=using)
    except Exception as exc:  # the database's own words, with the model named
        raise MigrationError(f"{mt.full_name}: cannot migrate table {table.name}: {exc}") from exc
    for name in plan.added:
        if name in mt.defaults and mt.defaults[name] is not None:
            conn.execute(update(table).where(table.c[name].is_(None)).values({name: mt.defaults[name]}))
    indexed = {i.name for i in inspect(conn).get_indexes(table.name)}
    for index in table.indexes:
        if index.name not in indexed:
            index.create(conn, checkfirst=True)
