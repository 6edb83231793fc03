"""The runtime that platform code (JitEvent.publish, GlobalVar, app) talks to in this thread."""
from __future__ import annotations

from contextvars import ContextVar
from typing import Any

_current: ContextVar[Any] = ContextVar("jitstudio_runtime", default=None)
_default: list[Any] = [None]
_user: ContextVar[Any] = ContextVar("jitstudio_user", default=None)


def activate(runtime: Any) -> None:
    """Make `runtime` the one platform calls reach when no other is current in this context."""
    _default[0] = runtime


def deactivate(runtime: Any) -> None:
    if _default[0] is runtime:
        _default[0] = None


def current_runtime() -> Any:
    runtime = _current.get() or _default[0]
    if runtime is None:
        raise RuntimeError("no jitstudio runtime is open; app code runs inside Runtime(app_dir)")
    return runtime


def bind(runtime: Any):
    """Make `runtime` current in this context; returns a token for `unbind`."""
    return _current.set(runtime)


def unbind(token) -> None:
    _current.reset(token)


def set_user(user: Any):
    return _user.set(user)


def current_user() -> Any:
    return _user.get()
