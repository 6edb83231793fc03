"""How to start another jitstudio process (a runtime for a test run, `jitstudio run`) from this one.

In a source install that is `python -m jitstudio ARGS`. In a frozen bundle `sys.executable` is the bundle's
own `jitstudio` program, which takes the command line directly: `jitstudio ARGS`.
"""
from __future__ import annotations

import sys


def is_frozen() -> bool:
    """True inside a bundle made by a freezer (PyInstaller sets `sys.frozen`)."""
    return bool(getattr(sys, "frozen", False))


def runtime_args(args: list[str]) -> list[str]:
    """The arguments to give `sys.executable` so that it runs `jitstudio ARGS`."""
    return [*args] if is_frozen() else ["-m", "jitstudio", *args]


def runtime_command(args: list[str]) -> list[str]:
    """The whole command line that runs `jitstudio ARGS` with this installation: program first."""
    return [sys.executable, *runtime_args(args)]
