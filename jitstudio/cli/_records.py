"""`jitstudio records`: list an app's execution records (newest first) or prune them."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..runtime.records import ExecutionRecord, RecordStore

ERROR_WIDTH = 60
STATUS_CHOICES = ("running", "success", "fail")


def cmd_records(args) -> int:
    from ..project import load_project
    from ..runtime import app_records_url
    from ..runtime.records import RecordStore, to_micros

    root = Path(args.dir)
    if not (root / "app.json").is_file():
        print(f"jitstudio: {root} is not an app folder (no app.json)", file=sys.stderr)
        return 2
    try:
        since = to_micros(args.since) if args.since else None
        until = to_micros(args.until) if args.until else None
    except (TypeError, ValueError) as exc:
        print(f"jitstudio: --since/--until take an ISO date or time, e.g. 2025-01-31T08:00 ({exc})", file=sys.stderr)
        return 2
    if args.limit < 1:
        print("jitstudio: --limit must be at least 1", file=sys.stderr)
        return 2
    app = load_project(root).app
    setting = app.runtime.db if app is not None else None
    with RecordStore(app_records_url(root, args.db, setting)) as store:
        if args.prune:
            return _prune(store, app, args.json)
        page = store.page(event=args.event, status=args.status, limit=args.limit,
                          since=None if since is None else since / 1e6, until=None if until is None else until / 1e6)
    if args.json:
        print(json.dumps([r.to_json() for r in page.records], indent=2, ensure_ascii=False))
    else:
        print(table(page.records))
    return 0


def _prune(store: RecordStore, app, as_json: bool) -> int:
    if app is None:
        print("jitstudio: app.json could not be read; nothing pruned", file=sys.stderr)
        return 1
    settings = app.runtime.records
    deleted = store.prune(settings.maxAgeDays, settings.maxCount)
    if as_json:
        print(json.dumps({"pruned": deleted, "maxAgeDays": settings.maxAgeDays, "maxCount": settings.maxCount}))
    else:
        print(f"pruned {deleted} records (maxAgeDays={settings.maxAgeDays}, maxCount={settings.maxCount})")
    return 0


def table(records: list[ExecutionRecord]) -> str:
    """An aligned text table: id, start (local time), event, status, duration, first line of the error."""
    header = ("ID", "STARTED", "EVENT", "STATUS", "DURATION", "ERROR")
    rows = [header]
    for r in records:
        started = r.started_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        duration = "" if r.duration_ms is None else f"{r.duration_ms:.1f} ms"
        error = (r.error or "").splitlines()[0] if r.error else ""
        if len(error) > ERROR_WIDTH:
            error = error[:ERROR_WIDTH - 1] + "…"
        rows.append((str(r.id), started, r.event, r.status, duration, error))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {0, 4}
    lines = []
    for row in rows:
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    if not records:
        lines.append("(no records)")
    return "\n".join(lines)


def register(sub) -> None:
    p = sub.add_parser("records", help="list an app's execution records, newest first, or prune them")
    p.add_argument("dir")
    p.add_argument("--event", metavar="FULLNAME", help="only this event, e.g. events.OrderAudit")
    p.add_argument("--status", choices=STATUS_CHOICES)
    p.add_argument("--since", metavar="ISO", help="started at or after (local time unless it has an offset)")
    p.add_argument("--until", metavar="ISO", help="started before")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="at most N records (default 50)")
    p.add_argument("--json", action="store_true", help="print a JSON array of records")
    p.add_argument("--db", metavar="URL", help="the app's database URL (records of SQLite apps are kept beside it)")
    p.add_argument("--prune", action="store_true", help="delete records beyond app.json runtime.records limits")
    p.set_defaults(func=cmd_records)
