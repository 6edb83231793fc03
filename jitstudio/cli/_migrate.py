"""`jitstudio migrate DIR`: bring an app's database in line with its models, showing each change first.

The same migration the runtime runs when it opens an app, made on purpose: before starting new servers, or
with `--allow-data-loss` to drop columns that still hold values. Exit status: 0 done (or nothing to do),
2 refused (data would be lost, the database is newer than this jitstudio, the folder is not an app).
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import UserError


def cmd_migrate(args) -> int:
    root = Path(args.dir)
    if not (root / "app.json").is_file():
        print(f"jitstudio: {root} is not an app folder (it has no app.json)", file=sys.stderr)
        return 2
    try:
        return _migrate(root, args)
    except UserError as exc:
        print(f"jitstudio: {exc}", file=sys.stderr)
        return 2


def _migrate(root: Path, args) -> int:
    from sqlalchemy import MetaData

    from ..project import load_project
    from ..runtime.data import build_table, describe, make_engine, resolve_db_url
    from ..runtime.data.migrate import apply_schema, plan_schema, schema_transaction

    project = load_project(root)
    setting = project.app.runtime.db if project.app else None
    url, origin = resolve_db_url(root, args.db, setting)
    metadata = MetaData()
    tables = {m.full_name: build_table(m, metadata) for m in project.models}
    engine = make_engine(url)
    try:
        with schema_transaction(engine) as conn:
            plan = plan_schema(conn, tables)
            for line in plan.lines():
                print(line)
            if plan.losses and not args.allow_data_loss:
                print(f"jitstudio: {plan.refusal(root)}", file=sys.stderr)
                return 2
            if not args.dry_run:
                apply_schema(conn, plan)
    finally:
        engine.dispose()
    count = len(plan.lines())
    where = f"{describe(url)} ({origin})"
    if not count:
        print(f"{where}: up to date", file=sys.stderr)
    elif args.dry_run:
        print(f"{where}: dry run, {count} change{'s' * (count != 1)} not made", file=sys.stderr)
    else:
        print(f"{where}: made {count} change{'s' * (count != 1)}", file=sys.stderr)
    return 0


def register(sub) -> None:
    p = sub.add_parser("migrate", help="bring the database's tables in line with the app's models; prints each change")
    p.add_argument("dir", metavar="DIR", help="the app folder")
    p.add_argument("--db", metavar="URL", help="database URL (default: $JITSTUDIO_DB_URL, app.json runtime.db, "
                                                "else SQLite in DIR/.jitstudio/data.db)")
    p.add_argument("--dry-run", action="store_true", help="print the changes without making them")
    p.add_argument("--allow-data-loss", action="store_true",
                   help="drop columns that hold values and make type changes that alter values")
    p.set_defaults(func=cmd_migrate)
