"""Handlers that never return: one shared timer thread interrupts a handler that outlives its time limit.

`WATCHDOG.arm(seconds, event)` starts watching the current thread; if it has not disarmed the guard after
`seconds`, the timer thread raises an interruption in that thread (`PyThreadState_SetAsyncExc`), which the
execution turns into `HandlerTimeout("events.X did not return within N s")`. The interruption is a BaseException, so
`except Exception` in the handler does not swallow it; a handler that swallows it anyway is interrupted
again every second. It takes effect at the next Python instruction: a handler blocked in one long C call
(a single `time.sleep(3600)`) is interrupted when that call returns.

That soft limit cannot stop every handler, and a stuck handler may hold the database's write lock. A process
that can be replaced (every `jitstudio` command, a server or worker under its supervisor) sets
`WATCHDOG.hard_grace`: a handler still running that many seconds after its first interruption has its record
closed as failed, the reason written to standard error, and the process ends with HARD_LIMIT_EXIT (its
uncommitted transaction rolls back, its locks go with it).
"""
from __future__ import annotations

import ctypes
import logging
import os
import sys
import threading
import time
from typing import Callable

from ...errors import AppError

log = logging.getLogger(__name__)

REPEAT_SECONDS = 1.0
HARD_GRACE_SECONDS = 5.0
HARD_LIMIT_EXIT = 70

_SET_ASYNC_EXC = ctypes.pythonapi.PyThreadState_SetAsyncExc


def _raise_in(thread_id: int, exc_class: type[BaseException]) -> None:
    """Raise `exc_class` in the thread at its next instruction. (Withdrawing one with NULL would leave the
    interpreter's pending flag set; an interruption is instead taken in the thread, see `disarm`.)"""
    _SET_ASYNC_EXC(ctypes.c_ulong(thread_id), ctypes.py_object(exc_class))


class HandlerTimeout(AppError, TimeoutError):
    """A handler did not return within its time limit (app.json runtime.handlerTimeoutSeconds, --timeout)."""


class _Interrupt(BaseException):
    """Raised inside the handler's thread when its time is up; `guard` is the Guard that fired. Each firing
    uses a subclass of its own, because only an exception class can be raised in another thread."""

    guard: "Guard | None" = None

    def __str__(self) -> str:
        return self.guard.message if self.guard is not None else "interrupted"


def seconds_text(seconds: float) -> str:
    return f"{seconds:g} s"


class Guard:
    __slots__ = ("thread_id", "deadline", "seconds", "event", "fired", "done", "first_fired", "last_words")

    def __init__(self, thread_id: int, deadline: float, seconds: float, event: str,
                 last_words: Callable[[str], None] | None = None):
        self.thread_id = thread_id
        self.deadline = deadline
        self.seconds = seconds
        self.event = event
        self.fired = 0
        self.done = False
        self.first_fired = 0.0
        self.last_words = last_words

    @property
    def message(self) -> str:
        return f"{self.event} did not return within {seconds_text(self.seconds)}"


class Watchdog:
    """The timer thread and the guards it watches (one per running guarded call)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._guards: set[Guard] = set()
        self._wake_at: float | None = None
        self._thread: threading.Thread | None = None
        self.hard_grace: float | None = None

    def arm(self, seconds: float, event: str, last_words: Callable[[str], None] | None = None) -> Guard:
        """Watch the calling thread for `seconds`. `last_words(reason)` is called before the process is ended
        by the hard limit (to close the execution's record)."""
        guard = Guard(threading.get_ident(), time.monotonic() + seconds, seconds, event, last_words)
        with self._lock:
            self._guards.add(guard)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="jitstudio-handler-watchdog", daemon=True)
                self._thread.start()
            if self._wake_at is None or guard.deadline < self._wake_at:
                self._changed.notify()
        return guard

    def disarm(self, guard: Guard) -> None:
        """Stop watching (call it on the guarded thread). An interruption sent but not raised yet, because the
        call returned just as its time ran out, is taken here so that it cannot surface later."""
        with self._lock:
            self._guards.discard(guard)
            guard.done = True
        if guard.fired:
            try:
                for _ in range(3):  # each pass checks for a pending interruption
                    pass
            except _Interrupt as exc:
                if exc.guard is not guard:
                    raise

    def _run(self) -> None:
        with self._lock:
            while True:
                now = time.monotonic()
                for guard in [g for g in self._guards if g.deadline <= now]:
                    self._fire(guard, now)
                self._wake_at = min((g.deadline for g in self._guards), default=None)
                self._changed.wait(None if self._wake_at is None else max(self._wake_at - now, 0.001))

    def _fire(self, guard: Guard, now: float) -> None:
        grace = self.hard_grace
        if grace is not None and guard.fired and now - guard.first_fired >= grace:
            self._end_process(guard, now - guard.first_fired)
        interrupt = type("HandlerTimeout", (_Interrupt,), {"guard": guard, "__module__": __name__})
        guard.fired += 1
        if guard.fired == 1:
            guard.first_fired = now
        guard.deadline = now + REPEAT_SECONDS if grace is None else min(now + REPEAT_SECONDS, guard.first_fired + grace)
        if guard.fired == 1:
            log.warning("%s: interrupting it", guard.message)
        elif guard.fired in (2, 10, 60):
            log.warning("%s and has swallowed %d interruptions; interrupting it again every %g s",
                        guard.message, guard.fired - 1, REPEAT_SECONDS)
        _raise_in(guard.thread_id, interrupt)


    @staticmethod
    def _end_process(guard: Guard, ignored_for: float) -> None:
        reason = (f"{guard.message} and was still running {seconds_text(round(ignored_for, 1))} after it was "
                  f"interrupted; the process running it was ended so that it cannot hold the database")
        log.critical("%s", reason)
        try:
            if guard.last_words is not None:
                guard.last_words(f"HandlerHardTimeout: {reason}")
        except BaseException:  # noqa: BLE001 - the process ends whatever closing the record did
            log.exception("could not record why %s was ended", guard.event)
        try:
            sys.stderr.write(f"jitstudio: {reason}\n")
            sys.stderr.flush()
        finally:
            os._exit(HARD_LIMIT_EXIT)


WATCHDOG = Watchdog()


def fired_by(exc: BaseException, guard: Guard | None) -> bool:
    """Whether `exc` is the interruption of `guard`."""
    return guard is not None and isinstance(exc, _Interrupt) and exc.guard is guard


def timeout_error(exc: BaseException) -> HandlerTimeout:
    """The HandlerTimeout of an interruption, with the interrupted code's traceback."""
    return HandlerTimeout(str(exc)).with_traceback(exc.__traceback__)
