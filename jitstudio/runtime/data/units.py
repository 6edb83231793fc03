"""Units of work: one database transaction per outermost write, joined by every write nested inside it.

A write made while another is in progress (a sync handler creating an audit row, a service function saving
several rows) joins the outer transaction inside a SAVEPOINT, so a failing nested write undoes only itself
unless its error propagates, and an error that reaches the outermost write rolls everything back. Work to
do once the transaction has committed (waking the async event worker) is queued on the unit.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, RootTransaction

_current: ContextVar["Unit | None"] = ContextVar("jitstudio_unit", default=None)
_every_commit: "WeakKeyDictionary[Engine, list[Callable[[], None]]]" = WeakKeyDictionary()


_before_first_commit: ContextVar[Callable[[], None] | None] = ContextVar("jitstudio_before_commit", default=None)


def before_first_commit(callback: Callable[[], None] | None) -> None:
    """Run `callback` once, just before the next unit of work in this context commits writes (None: not)."""
    _before_first_commit.set(callback)


def after_every_commit(engine: Engine, callback: Callable[[], None]) -> None:
    """Run `callback` after each unit of work on `engine` commits (before the unit's own after-commit work)."""
    _every_commit.setdefault(engine, []).append(callback)


class Unit:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._conn: Connection | None = None
        self._trans: RootTransaction | None = None
        self.after_commit: list[Callable[[], None]] = list(_every_commit.get(engine, ()))

    @property
    def conn(self) -> Connection:
        """The unit's connection; the transaction (and on SQLite the write lock) starts on first use. A
        transaction that cannot begin (the lock not had in time) raises its own error and leaves nothing open."""
        if self._conn is None:
            conn = self.engine.connect()
            try:
                self._trans = conn.begin()
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    @property
    def started(self) -> bool:
        return self._conn is not None

    def _finish(self, ok: bool) -> None:
        if self._conn is None or self._trans is None:
            return
        try:
            if ok:
                self._trans.commit()
            else:
                self._trans.rollback()
        finally:
            self._conn.close()
            self._conn = None


def current(engine: Engine) -> Unit | None:
    unit = _current.get()
    return unit if unit is not None and unit.engine is engine else None


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Unit]:
    """The outermost call opens the transaction and commits it (then runs after-commit work); nested calls
    join it and return without committing."""
    unit = current(engine)
    if unit is not None:
        yield unit
        return
    unit = Unit(engine)
    token = _current.set(unit)
    try:
        yield unit
    except BaseException:
        _current.reset(token)
        unit._finish(False)
        raise
    _current.reset(token)
    hook = _before_first_commit.get()
    if hook is not None and unit.started:
        _before_first_commit.set(None)
        hook()
    unit._finish(True)
    for callback in unit.after_commit:
        callback()


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """One data-API write. It opens the unit when none is open (its transaction is the write's own);
    inside an open unit it runs in a SAVEPOINT, so a failing write undoes exactly itself."""
    unit = current(engine)
    if unit is None:
        with unit_of_work(engine) as unit:
            yield unit.conn
        return
    nested = unit.conn.begin_nested()
    try:
        yield unit.conn
    except BaseException:
        nested.rollback()
        raise
    nested.commit()


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for reads: the unit's own when it has written (so reads see its writes), else a fresh
    one that takes no write lock."""
    unit = current(engine)
    if unit is not None and unit.started:
        yield unit.conn
        return
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
        yield conn
