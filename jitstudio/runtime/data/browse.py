"""Reading a model's rows a page at a time, for a table that scrolls through millions of them.

Pages are keyset pages: a page starts after the sort value and primary key of the previous page's last row,
so a deep page costs what the first does. Empty values sort last, in both directions, on every database.
Counting runs apart from paging and stops promptly when it is cancelled.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, false, func, select, tuple_

from ..records.query import interrupt_when
from .sqlfilter import QueryError, coerce, to_sql
from .tables import ModelTable
from . import units


@dataclass(frozen=True)
class Order:
    """Sort by `field` (None: the primary key), ascending unless `descending`."""

    field: str | None = None
    descending: bool = False


@dataclass(frozen=True)
class Page:
    rows: list[dict]
    after: list | None  # the keyset position after the last row (sort value, primary key); None: no more rows


class Browser:
    """Pages and counts of one model's rows over `engine`."""

    def __init__(self, engine: Engine, mt: ModelTable):
        self.engine, self.table = engine, mt.table
        self.pk = self.table.c[mt.primary_key]

    def _sort_column(self, order: Order):
        if order.field is None or order.field == self.pk.name:
            return None
        if order.field not in self.table.c:
            raise QueryError(f"cannot sort by {order.field!r}: the model has no such field; fields: "
                             f"{', '.join(self.table.c.keys())}")
        return self.table.c[order.field]

    def page(self, filter: str | None = None, order: Order = Order(), after: list | None = None,
             limit: int = 200) -> Page:
        """Up to `limit` rows matching the Q `filter`, in `order`, after the keyset position `after`."""
        col = self._sort_column(order)
        where = to_sql(filter, self.table)
        with units.reading(self.engine) as conn:
            if col is None:
                rows = self._by_pk(conn, where, order.descending, None if after is None else after[1], limit + 1)
            else:
                rows = self._by_column(conn, where, col, order.descending, after, limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        last = rows[-1] if rows and more else None
        position = None if last is None else [last[col.name] if col is not None else None, last[self.pk.name]]
        return Page(rows, position)

    def _by_pk(self, conn, where, descending: bool, after_pk: Any, limit: int, *extra) -> list[dict]:
        stmt = select(self.table).where(where, *extra).order_by(self.pk.desc() if descending else self.pk.asc())
        if after_pk is not None:
            pk = coerce(self.pk, after_pk)
            stmt = stmt.where(self.pk < pk if descending else self.pk > pk)
        return [dict(r._mapping) for r in conn.execute(stmt.limit(limit))]

    def _by_column(self, conn, where, col, descending: bool, after: list | None, limit: int) -> list[dict]:
        """Rows with a value in `col` first, by (value, primary key), then the empty ones by primary key: two
        plain index-friendly queries instead of one that sorts NULLs by an expression."""
        rows: list[dict] = []
        if after is None or after[0] is not None:
            stmt = select(self.table).where(where, col.is_not(None))
            if after is not None:
                key = tuple_(col, self.pk)
                position = tuple_(coerce(col, after[0]), coerce(self.pk, after[1]))
                stmt = stmt.where(key < position if descending else key > position)
            direction = (col.desc(), self.pk.desc()) if descending else (col.asc(), self.pk.asc())
            rows = [dict(r._mapping) for r in conn.execute(stmt.order_by(*direction).limit(limit))]
            after = None  # the empty values start from their first
        if len(rows) < limit:
            rows += self._by_pk(conn, where, descending, None if after is None else after[1], limit - len(rows),
                                col.is_(None))
        return rows

    def count(self, filter: str | None = None, cancel: threading.Event | None = None) -> int | None:
        """How many rows match; None when `cancel` was set before the count finished."""
        stmt = select(func.count()).select_from(self.table).where(to_sql(filter, self.table))
        if cancel is not None and cancel.is_set():
            return None
        with self.engine.connect() as conn:
            stop = None
            if cancel is not None:
                stop = interrupt_when(conn.connection.dbapi_connection, cancel, self.engine.dialect.name == "sqlite")
            try:
                return conn.execute(stmt).scalar_one()
            except Exception:
                if cancel is not None and cancel.is_set():
                    return None
                raise
            finally:
                if stop is not None:
                    stop()

    def rows_by_pk(self, pks: list[Any]) -> list[dict]:
        """The rows with these primary keys, in the order given (missing ones left out)."""
        if not pks:
            return []
        keys = [coerce(self.pk, pk) for pk in pks]
        with units.reading(self.engine) as conn:
            found = {r._mapping[self.pk.name]: dict(r._mapping)
                     for r in conn.execute(select(self.table).where(self.pk.in_(keys) if keys else false()))}
        return [found[k] for k in keys if k in found]
