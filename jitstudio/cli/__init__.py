"""The `jitstudio` command line: everything but the IDE window. JSON in, JSON out where scripts read it.

Registering the commands imports none of what they run: each command imports the project, the runtime and
their libraries (SQLAlchemy, libcst, pydantic, …) when it runs, so `--help` and `--version` load none of them."""
from __future__ import annotations

import argparse
import functools
import importlib
import importlib.util
import os

from .. import __version__
from . import _project

_MODULES = [_project]
for _name in ("_runtime", "_records", "_runs", "_ai", "_serve", "_tokens", "_worker", "_migrate"):
    if importlib.util.find_spec(f"{__name__}.{_name}") is not None:
        _MODULES.append(importlib.import_module(f"{__name__}.{_name}"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jitstudio", description="Build and run event-driven low-code apps. With no command, or a folder, opens the IDE.")
    parser.add_argument("--version", action="version", version=f"jitstudio {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _MODULES:
        module.register(sub)
    return parser


@functools.cache
def _parser() -> argparse.ArgumentParser:
    return build_parser()


def commands() -> set[str]:
    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


LOG_ENV = "JITSTUDIO_LOG"


def configure_logging() -> None:
    """What the engine logs goes to standard error: warnings and errors, or the level $JITSTUDIO_LOG names
    (DEBUG, INFO, …). A program that configured logging itself keeps its configuration."""
    import logging

    level = os.environ.get(LOG_ENV, "WARNING").upper()
    logging.basicConfig(level=level if level in logging.getLevelNamesMapping() else "WARNING",
                        format="jitstudio: %(levelname)s %(name)s: %(message)s")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    configure_logging()
    return args.func(args)


def end_stuck_handlers() -> None:
    """In a process of its own (not a program that calls `main`), a handler that outlives its time limit
    and ignores the interruption ends the process instead of holding the database; see the watchdog."""
    from ..runtime.execution.watchdog import HARD_GRACE_SECONDS, WATCHDOG

    WATCHDOG.hard_grace = HARD_GRACE_SECONDS
