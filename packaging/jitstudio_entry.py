"""The desktop bundle's program: `jitstudio` with the same command line as a source install.

A CLI subcommand (`jitstudio check DIR`, `jitstudio event test …`) runs the CLI; nothing, or a folder, opens
the IDE. The IDE starts runtime processes with this same program: `jitstudio ARGS` (see
jitstudio.cli._process), or `jitstudio -m jitstudio ARGS`, which is taken as `python -m jitstudio ARGS` is.
JITSTUDIO_EXIT_AFTER_FIRST_PAINT=1 arms the start-up probe.
"""
import os
import sys


def main() -> int:
    args = sys.argv[1:]
    if args[:2] == ["-m", "jitstudio"]:
        # `sys.executable -m jitstudio ARGS`, the way code written for a source install starts a runtime.
        args = args[2:]
    if os.environ.get("JITSTUDIO_EXIT_AFTER_FIRST_PAINT") == "1":
        from jitstudio.qt._startup_probe import main as probed_main

        return probed_main(args)
    from jitstudio.launcher import main as launcher_main

    return launcher_main(args)


if __name__ == "__main__":
    sys.exit(main())
