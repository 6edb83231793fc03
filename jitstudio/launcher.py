"""The `jitstudio` command: a subcommand runs the CLI; no subcommand (or a folder) opens the IDE."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from . import cli

    if args and (args[0] in cli.commands() or args[0] in ("-h", "--help", "--version")):
        return cli.main(args)
    from .qt.app import main as ide_main

    return ide_main(args)


if __name__ == "__main__":
    sys.exit(main())
