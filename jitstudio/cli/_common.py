"""What the commands that open an app share: JSON in and out, and one run of an action on a Runtime with the
exit status scripts rely on (0 done, 1 the app refused and its message is printed, 2 bad input)."""
from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any, Callable

from ..errors import UserError, exit_status

if TYPE_CHECKING:
    from ..runtime import Runtime


class UsageError(UserError, ValueError):
    """The command line asks for something that cannot be done as asked."""


def print_json(value: Any) -> None:
    from ..runtime.values import to_json

    print(json.dumps(to_json(value), ensure_ascii=False, indent=2))


def json_arg(text: str | None, what: str, kind: type | tuple | None = None, default: Any = None) -> Any:
    """A JSON command-line argument, checked to be of `kind`; `default` when it was not given."""
    if text is None:
        return default
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"{what} is not valid JSON: {exc}") from None
    if kind is not None and not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise UsageError(f"{what} must be a JSON {'object' if names == 'dict' else 'array' if names == 'list' else names}")
    return value


def open_runtime(args, **options: Any) -> Runtime | None:
    """The app of `args.dir` on `args.db`, or None after saying why it cannot be opened. Its execution
    records are committed with each write (a command may be killed at any moment)."""
    from ..runtime import Runtime

    try:
        runtime = Runtime(args.dir, args.db, **options)
    except UserError as exc:
        print(f"jitstudio: {exc}", file=sys.stderr)
        return None
    runtime.record_at_every_commit()
    return runtime


SERVER_TIMEOUT = 30.0  # seconds a handler of a long-running process (run, serve, worker) may take by default


def limit_handlers(runtime: Runtime, given: float | None, default: float | None) -> None:
    """The handler time limit: --timeout when given, else app.json's runtime.handlerTimeoutSeconds (the
    runtime opened with it), else `default`."""
    if given is not None:
        runtime.handler_timeout = given
    elif runtime.handler_timeout is None:
        runtime.handler_timeout = default


def run_action(runtime: Runtime | None, action: Callable[[Runtime], None],
               describe: Callable[[BaseException], str] = str) -> int:
    """Run `action`, wait for the async events it caused, close the runtime; the exit status: 2 for a user
    error (its message), 1 for anything the app raised (`describe` of it)."""
    if runtime is None:
        return 2
    try:
        try:
            action(runtime)
            status = 0
        except Exception as exc:  # noqa: BLE001 - every failure ends the command with its message and status
            status = exit_status(exc)
            message = str(exc) if status == 2 else describe(exc)
            print(f"jitstudio: {message or type(exc).__name__}", file=sys.stderr)
        runtime.drain()
        return status
    finally:
        runtime.close()
