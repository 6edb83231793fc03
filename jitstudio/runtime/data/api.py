"""The JitAI-shaped data API of one model: `app.getElement("models.Order")` / `app.models.Order`.

Every write path fires the model's events (Before inside the transaction, After before commit, async ones
through the outbox) unless `triggerEvent=0`; only `updateByFilter` and `deleteByFilter` never fire them.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import bindparam, delete, func, insert, select, update

from ...errors import AppError
from ...project import qfilter
from . import units
from .sqlfilter import QueryError, coerce, order_by, parse_cached, to_sql
from .fieldvalues import DataError, FieldValueError, write_value
from .tables import AUTO_NOW, AUTO_NOW_ADD, ModelTable
from ..execution import step
from ..values import JitDict, RowData, RowList, native

if TYPE_CHECKING:
    from sqlalchemy import Engine

ADD, UPDATE, DELETE = "Add", "Update", "Delete"


class WriteEvents(Protocol):
    """The model events of writes: `before` runs inside the write and returns the row values to write (a
    handler may have filled some), `after` runs once the row is written, before the transaction commits."""

    def before(self, api: "ModelApi", op: str, prev: dict, post: dict) -> dict: ...

    def after(self, api: "ModelApi", op: str, prev: dict, post: dict) -> None: ...


class ModelApi:
    """The data API of one model over `engine`; `events` runs its model events (None: a model whose writes
    fire nothing, as for tools that only read)."""

    def __init__(self, engine: "Engine", mt: ModelTable, events: WriteEvents | None = None):
        self._engine = engine
        self._events = events
        self._mt = mt
        self.table = mt.table
        self.full_name = mt.full_name
        self.primary_key = mt.primary_key
        self.datatypes = mt.datatypes
        self._pk_col = mt.table.c[mt.primary_key]
        self._defaults = {name: _coerced(mt.table.c[name], value) for name, value in mt.defaults.items()}
        # Built once: SQLAlchemy caches their compiled form, which keeps a write's own cost low.
        self._select_pk = select(self.table).where(self._pk_col == bindparam("_jit_pk"))
        self._insert_stmt = insert(self.table)
        self._update_pk = update(self.table).where(self._pk_col == bindparam("_jit_pk"))
        self._delete_pk = delete(self.table).where(self._pk_col == bindparam("_jit_pk"))

    def __repr__(self) -> str:
        return f"<model {self.full_name}>"

    # ------------------------------------------------------------------ reads

    def _rows(self, stmt) -> list[dict]:
        with units.reading(self._engine) as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    def _fetch(self, conn, pk: Any) -> dict | None:
        key = write_value(self.full_name, self._pk_col, self.datatypes.get(self.primary_key, ""), pk)
        row = conn.execute(self._select_pk, {"_jit_pk": key}).first()
        return dict(row._mapping) if row is not None else None

    def getByPK(self, pk: Any) -> RowData | None:
        with units.reading(self._engine) as conn:
            row = self._fetch(conn, pk)
        return RowData(row, self) if row is not None else None

    def get(self, filter: Any = None, orderList: Any = None, level: int | None = None) -> RowData | None:
        """The first row matching `filter` (a Q string), or None."""
        with step("data", f"{self.full_name}.get", filter=_text(filter)):
            stmt = select(self.table).where(to_sql(_text(filter), self.table))
            stmt = stmt.order_by(*(order_by(orderList, self.table) or [self._pk_col.asc()])).limit(1)
            rows = self._rows(stmt)
        return RowData(rows[0], self) if rows else None

    def query(self, filter: Any = None, fieldList: list[str] | None = None, orderList: Any = None,
              page: int | None = 1, size: int | None = 20, level: int | None = 2) -> JitDict:
        """`{rowDatas, totalCount}`: one page of rows (all rows when size is None or below 1)."""
        with step("data", f"{self.full_name}.query", filter=_text(filter), page=page, size=size):
            where = to_sql(_text(filter), self.table)
            columns = [self._column(name) for name in fieldList] if fieldList else list(self.table.c)
            stmt = select(*columns).where(where).order_by(*(order_by(orderList, self.table) or [self._pk_col.asc()]))
            if size and size > 0:
                stmt = stmt.limit(size).offset((max(page or 1, 1) - 1) * size)
            with units.reading(self._engine) as conn:
                rows = [dict(r._mapping) for r in conn.execute(stmt)]
                total = conn.execute(select(func.count()).select_from(self.table).where(where)).scalar_one()
        return JitDict({"rowDatas": RowList(rows, self), "totalCount": total})

    def count(self, filter: Any = None) -> int:
        with units.reading(self._engine) as conn:
            return conn.execute(select(func.count()).select_from(self.table).where(to_sql(_text(filter), self.table))).scalar_one()

    def getCompareResult(self, filter: Any, bizRow: Any) -> bool:
        """Whether a row in memory passes `filter` (as a model event's filter is checked)."""
        text = _text(filter)
        return qfilter.evaluate(parse_cached(text) if text else None, native(bizRow) or {})

    # ----------------------------------------------------------------- writes

    def create(self, rowData: Any, triggerEvent: int = 1) -> RowData:
        data = self._clean(native(rowData) or {})
        with step("data", f"{self.full_name}.create"), units.write(self._engine) as conn:
            return RowData(self._insert(conn, data, bool(triggerEvent)), self)

    def save(self, rowData: Any, triggerEvent: int = 1) -> RowData:
        """Insert a row without a primary key (or with one not stored yet), update it otherwise."""
        data = native(rowData) or {}
        pk = data.get(self.primary_key)
        with units.write(self._engine) as conn:
            if pk is not None and self._fetch(conn, pk) is not None:
                return self.updateByPK(pk, data, triggerEvent=triggerEvent)
            return self.create(data, triggerEvent=triggerEvent)

    def updateByPK(self, pk: Any, rowData: Any, triggerEvent: int = 1) -> RowData:
        changes = self._clean(native(rowData) or {})
        with step("data", f"{self.full_name}.update", pk=pk), units.write(self._engine) as conn:
            prev = self._fetch(conn, pk)
            if prev is None:
                raise DataError(f"{self.full_name}: no row with {self.primary_key} = {pk!r}")
            return RowData(self._update(conn, prev, changes, bool(triggerEvent)), self)

    def deleteByPK(self, pk: Any, triggerEvent: int = 1) -> int:
        with step("data", f"{self.full_name}.delete", pk=pk), units.write(self._engine) as conn:
            prev = self._fetch(conn, pk)
            if prev is None:
                return 0
            return self._delete(conn, prev, bool(triggerEvent))

    def delete(self, rowData: Any, triggerEvent: int = 1) -> int:
        return self.deleteByPK((native(rowData) or {}).get(self.primary_key), triggerEvent=triggerEvent)

    def updateOrAdd(self, filter: Any, updateData: Any, addData: Any = None, triggerEvent: int = 1) -> RowData:
        """Update the first row matching `filter`, or create one (from `addData`, else `updateData`)."""
        with units.write(self._engine):
            found = self.get(filter)
            if found is not None:
                return self.updateByPK(found.pkData, updateData, triggerEvent=triggerEvent)
            return self.create(addData if addData is not None else updateData, triggerEvent=triggerEvent)

    def createOrUpdateMany(self, rowDataList: Any, triggerEvent: int = 1) -> RowList:
        with units.write(self._engine):
            return RowList([self.save(row, triggerEvent=triggerEvent) for row in (native(rowDataList) or [])], self)

    def updateByFilter(self, filter: Any, updateData: Any) -> int:
        """Update every matching row in one statement. Never fires model events."""
        changes = self._clean(native(updateData) or {})
        if AUTO_NOW in self.datatypes and AUTO_NOW not in changes:
            changes[AUTO_NOW] = datetime.now()
        with step("data", f"{self.full_name}.updateByFilter", filter=_text(filter)), units.write(self._engine) as conn:
            return conn.execute(update(self.table).where(to_sql(_text(filter), self.table)).values(changes)).rowcount

    def deleteByFilter(self, filter: Any) -> int:
        """Delete every matching row in one statement. Never fires model events."""
        with step("data", f"{self.full_name}.deleteByFilter", filter=_text(filter)), units.write(self._engine) as conn:
            return conn.execute(delete(self.table).where(to_sql(_text(filter), self.table))).rowcount

    # ---------------------------------------------------------------- helpers

    def _column(self, name: str):
        if name not in self.table.c:
            raise FieldValueError(f"{self.full_name} has no field {name!r}; fields: {', '.join(self.table.c.keys())}")
        return self.table.c[name]

    def _clean(self, data: dict) -> dict:
        if not isinstance(data, dict):
            raise FieldValueError(f"{self.full_name}: row data must be a dict of field values, not {type(data).__name__}")
        return {name: write_value(self.full_name, self._column(name), self.datatypes.get(name, ""), value)
                for name, value in data.items()}

    def _handled(self, after_handlers: dict, before_handlers: dict) -> dict:
        """The row values after the Before handlers: cleaned again when a handler ran (it may have set any)."""
        return before_handlers if after_handlers is before_handlers else self._clean(after_handlers)

    def _insert(self, conn, data: dict, fire: bool) -> dict:
        post = {name: value for name, value in self._defaults.items() if name not in data}
        post.update(data)
        now = datetime.now()
        for auto in (AUTO_NOW_ADD, AUTO_NOW):
            if auto in self.datatypes and post.get(auto) is None:
                post[auto] = now
        events = self._events if fire else None
        if events is not None:
            post = self._handled(events.before(self, ADD, {}, post), post)
        values = {k: v for k, v in post.items() if not (k == self.primary_key and v is None)}
        result = conn.execute(self._insert_stmt, values)
        pk = values.get(self.primary_key)
        if pk is None:
            pk = result.inserted_primary_key[0]
        row = self._fetch(conn, pk)
        if events is not None:
            events.after(self, ADD, {}, row)
        return row

    def _update(self, conn, prev: dict, changes: dict, fire: bool) -> dict:
        post = {**prev, **changes}
        if AUTO_NOW in self.datatypes and AUTO_NOW not in changes:
            post[AUTO_NOW] = datetime.now()
        events = self._events if fire else None
        if events is not None:
            post = self._handled(events.before(self, UPDATE, prev, post), post)
        pk = prev[self.primary_key]
        diff = {k: v for k, v in post.items() if k in prev and prev[k] != v and k != self.primary_key}
        if diff:
            conn.execute(self._update_pk, {**diff, "_jit_pk": pk})
        row = self._fetch(conn, pk)
        if events is not None:
            events.after(self, UPDATE, prev, row)
        return row

    def _delete(self, conn, prev: dict, fire: bool) -> int:
        events = self._events if fire else None
        if events is not None:
            events.before(self, DELETE, prev, {})
        count = conn.execute(self._delete_pk, {"_jit_pk": prev[self.primary_key]}).rowcount
        if events is not None:
            events.after(self, DELETE, prev, {})
        return count


def _coerced(column, value: Any) -> Any:
    """A field's default in the column's Python type; one that does not fit is kept for the insert to refuse."""
    try:
        return coerce(column, value)
    except QueryError:
        return value


def _text(filter: Any) -> str | None:
    """A filter as text: Q strings pass, typed values give their `.value`, a parsed tree its canonical text."""
    filter = native(filter)
    if filter is None or isinstance(filter, str):
        return filter
    if isinstance(filter, (qfilter.Condition, qfilter.Group)):
        return qfilter.to_text(filter)
    raise DataError(f"a filter must be a Q string such as \"Q(Q('status', '=', 'paid'))\", not {type(filter).__name__}")
