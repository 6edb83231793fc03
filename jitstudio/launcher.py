"""The `jitstudio` command: a subcommand runs the CLI; no subcommand (or a folder) opens the IDE, which is
the optional `ide` extra: a server install has the command line without Qt."""
from __future__ import annotations

import importlib.util
import sys

IDE_PACKAGES = ("PySide6", "superqt", "pygments")
IDE_MISSING = 'jitstudio: the IDE is not installed; pip install "jitstudio[ide]"'


def ide_installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in IDE_PACKAGES)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from . import cli

    if args and args[0] in ("-h", "--help", "--version"):
        return cli.main(args)
    if args and args[0] in cli.commands():
        if argv is None:
            cli.end_stuck_handlers()
        return cli.main(args)
    if not ide_installed():
        print(IDE_MISSING, file=sys.stderr)
        return 2
    from .qt.app import main as ide_main

    return ide_main(args)


if __name__ == "__main__":
    sys.exit(main())
