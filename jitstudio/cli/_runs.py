"""`jitstudio runs`: the paths an approval workflow's instances or an assistant's turns took through their
graphs, as JSON lines (one run per line, newest first), or the run one execution record belongs to."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ._common import UsageError


def cmd_runs(args) -> int:
    from ..runtime.runpaths import open_sources, recent_runs, run_of_record

    root = Path(args.dir)
    if not (root / "app.json").is_file():
        print(f"jitstudio: {root} is not an app folder (no app.json)", file=sys.stderr)
        return 2
    if args.limit < 1:
        print("jitstudio: --limit must be at least 1", file=sys.stderr)
        return 2
    if args.element is None and args.record is None:
        print("jitstudio: name an ELEMENT (workflows.X, aiassistants.X) or a --record ID", file=sys.stderr)
        return 2
    try:
        with open_sources(root, args.db) as sources:
            if args.record is not None:
                run = run_of_record(sources, args.record)
                if run is None or (args.element and run.element != args.element):
                    print(f"jitstudio: execution record {args.record} is not part of a run"
                          + (f" of {args.element}" if args.element else ""), file=sys.stderr)
                    return 1
                runs = [run]
            else:
                runs = recent_runs(sources, args.element, args.limit)
    except (UsageError, ValueError) as exc:
        print(f"jitstudio: {exc}", file=sys.stderr)
        return 2
    for run in runs:
        print(json.dumps(run.to_json(), ensure_ascii=False))
    return 0


def register(sub) -> None:
    p = sub.add_parser("runs", help="the paths approval instances or assistant turns took, as JSON lines")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("element", metavar="ELEMENT", nargs="?", help="workflows.X or aiassistants.X")
    p.add_argument("--record", type=int, metavar="ID", help="only the run this execution record belongs to")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="at most N runs, newest first (default 50)")
    p.add_argument("--db", metavar="URL", help="the app's database URL (default as the runtime chooses)")
    p.set_defaults(func=cmd_runs)
