"""SQL tables from models: each JitAI datatype maps to one SQL column type.

Fields are read statically by the project layer (`ModelElement.fields`); a datatype the runtime cannot
store is a located problem and its field gets no column, never a crash.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

from sqlalchemy import (
    JSON, BigInteger, Boolean, Column, Date, DateTime, Float, Index, Integer, MetaData, Numeric, String, Table, Text,
    Time,
)
from sqlalchemy.types import TypeEngine

from ...project import ModelElement

# SQLite has no decimal type; SQLAlchemy rounds through float and says so once per process.
warnings.filterwarnings("ignore", message=r"Dialect sqlite\+pysqlite does \*not\* support Decimal objects natively")


def _text_len(default: int) -> Callable[[dict], TypeEngine]:
    return lambda p: String(int(p.get("maxLen") or default))


def _numeric(p: dict) -> TypeEngine:
    decimal = p.get("decimal")
    if decimal is None:
        return Float()
    return BigInteger() if int(decimal) == 0 else Numeric(28, int(decimal))


def _money(p: dict) -> TypeEngine:
    return Numeric(18, int(p.get("decimal", 2) if p.get("decimal") is not None else 2))


# datatype → (SQL type factory, what the README says about it)
SQL_TYPES: dict[str, tuple[Callable[[dict], TypeEngine], str]] = {
    "Stext": (_text_len(255), "VARCHAR(maxLen, default 255)"),
    "Ltext": (lambda p: Text(), "TEXT"),
    "RichText": (lambda p: Text(), "TEXT"),
    "Numeric": (_numeric, "BIGINT when decimal=0, NUMERIC(28, decimal) when decimal>0, DOUBLE without decimal"),
    "Integer": (lambda p: BigInteger(), "BIGINT"),
    "Money": (_money, "NUMERIC(18, decimal, default 2)"),
    "Percent": (lambda p: Float(), "DOUBLE (0.25 = 25 %)"),
    "AutoInt": (lambda p: Integer(), "INTEGER, auto-increment when primaryKey"),
    "Serial": (_text_len(64), "VARCHAR(64)"),
    "Radio": (_text_len(255), "VARCHAR(255), the option value"),
    "Dropdown": (_text_len(255), "VARCHAR(255), the option value"),
    "MultiRadio": (lambda p: JSON(), "JSON list of option values"),
    "MultiDropdown": (lambda p: JSON(), "JSON list of option values"),
    "Checkbox": (lambda p: Boolean(), "BOOLEAN"),
    "Bool": (lambda p: Boolean(), "BOOLEAN"),
    "JitBool": (lambda p: Boolean(), "BOOLEAN"),
    "Date": (lambda p: Date(), "DATE"),
    "Datetime": (lambda p: DateTime(), "DATETIME / TIMESTAMP (naive, local time)"),
    "Time": (lambda p: Time(), "TIME"),
    "File": (lambda p: JSON(), "JSON (list of file descriptors)"),
    "Image": (lambda p: JSON(), "JSON (list of image descriptors)"),
    "Signature": (lambda p: Text(), "TEXT (image data or URL)"),
    "Dept": (_text_len(64), "VARCHAR(64), the department id"),
    "MultiDept": (lambda p: JSON(), "JSON list of department ids"),
    "Member": (_text_len(64), "VARCHAR(64), the member id"),
    "MultiMember": (lambda p: JSON(), "JSON list of member ids"),
    "Address": (lambda p: JSON(), "JSON {province, city, district, detail}"),
    "Position": (lambda p: JSON(), "JSON {lng, lat, address}"),
    "Identify": (_text_len(32), "VARCHAR(32)"),
    "LicensePlate": (_text_len(16), "VARCHAR(16)"),
    "Phone": (_text_len(32), "VARCHAR(32)"),
    "Email": (_text_len(255), "VARCHAR(255)"),
    "Link": (_text_len(2048), "VARCHAR(2048)"),
    "RelateData": (lambda p: BigInteger(), "BIGINT, the related row's primary key"),
    "MultiRelateData": (lambda p: JSON(), "JSON list of related primary keys"),
}
AUTO_NOW_ADD, AUTO_NOW = "createdAt", "updatedAt"


@dataclass
class ModelTable:
    """A model's table and what the data API needs to know about its fields."""

    full_name: str
    table: Table
    primary_key: str
    datatypes: dict[str, str]
    defaults: dict[str, Any]
    autoincrement: bool
    fields: list[dict] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return list(self.datatypes)


def sql_type(datatype: str, params: dict) -> TypeEngine | None:
    entry = SQL_TYPES.get(datatype)
    return entry[0](params) if entry else None


def table_name(model: ModelElement) -> str:
    configured = model.source.meta.get("dbTable") if model.source else None
    return str(configured) if isinstance(configured, str) and configured else model.full_name.replace(".", "_")


def build_table(model: ModelElement, metadata: MetaData) -> ModelTable:
    pk = model.primary_key
    columns, datatypes, defaults, described = [], {}, {}, []
    autoincrement = False
    for f in model.fields:
        kind = sql_type(f.datatype, f.params)
        if kind is None:
            continue
        is_pk = f.name == pk
        auto = is_pk and f.datatype in ("AutoInt", "Integer", "RelateData")
        autoincrement = autoincrement or auto
        columns.append(Column(
            f.name, kind, primary_key=is_pk, autoincrement=auto if is_pk else False,
            nullable=not is_pk, unique=bool(f.params.get("unique")) and not is_pk,
        ))
        if f.params.get("dbIndex") and not f.params.get("unique") and not is_pk:
            columns.append(Index(f"ix_{table_name(model)}_{f.name}", f.name))
        datatypes[f.name] = f.datatype
        if "default" in f.params:
            defaults[f.name] = _default_value(f.datatype, f.params["default"])
        described.append({"name": f.name, "datatype": f.datatype, "sql": _type_key(kind), "renamedFrom": f.params.get("renamedFrom")})
    if pk not in datatypes:
        columns.insert(0, Column(pk, Integer(), primary_key=True, autoincrement=True))
        datatypes = {pk: "AutoInt", **datatypes}
        described.insert(0, {"name": pk, "datatype": "AutoInt", "sql": "INTEGER", "renamedFrom": None})
        autoincrement = True
    table = Table(table_name(model), metadata, *columns)
    return ModelTable(model.full_name, table, pk, datatypes, defaults, autoincrement, described)


def _default_value(datatype: str, value: Any) -> Any:
    if datatype in ("Checkbox", "Bool", "JitBool") and isinstance(value, int):
        return bool(value)
    return value


def _type_key(kind: TypeEngine) -> str:
    name = type(kind).__name__.upper()
    if isinstance(kind, String) and kind.length:
        return f"{name}({kind.length})"
    if isinstance(kind, Numeric) and not isinstance(kind, Float) and kind.scale is not None:
        return f"{name}({kind.precision},{kind.scale})"
    return name


def type_from_key(key: str) -> TypeEngine:
    """The SQL type a stored schema entry describes (for `existing_type` when altering a column)."""
    name, _, args = key.partition("(")
    numbers = [int(a) for a in args.rstrip(")").split(",") if a.strip()] if args else []
    kinds = {
        "STRING": lambda: String(numbers[0] if numbers else None), "TEXT": Text, "BIGINTEGER": BigInteger,
        "INTEGER": Integer, "NUMERIC": lambda: Numeric(*numbers), "FLOAT": Float, "BOOLEAN": Boolean,
        "DATE": Date, "DATETIME": DateTime, "TIME": Time, "JSON": JSON,
    }
    return kinds.get(name, Text)()


def internal_tables(metadata: MetaData) -> dict[str, Table]:
    """The runtime's own tables in the data database: the async event outbox and the applied schemas."""
    outbox = Table(
        "jit_event_outbox", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("event", String(255), nullable=False),
        Column("kind", String(32), nullable=False),
        Column("payload", Text, nullable=False),
        Column("status", String(16), nullable=False, default="pending"),
        Column("attempt", Integer, nullable=False, default=0),
        Column("available_at", Float, nullable=False),
        Column("claimed_by", String(128)),
        Column("created_at", Float, nullable=False),
        # No index but the primary key: the queue holds only work not done yet and is claimed in id order,
        # while an index would cost every write that queues an async event one more page to write.
        sqlite_autoincrement=True,  # ids are never reused once a finished row is deleted
    )
    schema = Table(
        "jit_model_schema", metadata,
        Column("model", String(255), primary_key=True),
        Column("table_name", String(255), nullable=False),
        Column("fields", Text, nullable=False),
    )
    version = Table(
        "jit_schema_version", metadata,  # one row: the layout of these tables, and who last migrated
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("schema_version", Integer, nullable=False),
        Column("jitstudio_version", String(64), nullable=False),
        Column("migrated_at", Float, nullable=False),
    )
    api_token = Table(
        "jit_api_token", metadata,  # sign-in tokens of `jitstudio serve`; only a hash of each secret is kept
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("user", String(255), nullable=False),
        Column("name", String(255), nullable=False, default=""),
        Column("secret_sha256", String(64), nullable=False),
        Column("created_at", Float, nullable=False),
        Column("revoked_at", Float),
    )
    return {"outbox": outbox, "schema": schema, "version": version, "api_token": api_token}
