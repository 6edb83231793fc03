"""Commands that run an app: data, call, publish, event test. JSON in, JSON out.

Every command that writes waits for the async events it caused before it exits. Commands that run handlers
take `--timeout SECONDS`: a handler still running after it is interrupted and fails with HandlerTimeout
(default: app.json runtime.handlerTimeoutSeconds, else none; `event test` 30 s). Exit status: 0 done,
1 the app refused (a handler raised or timed out, a row is missing, …; the message is printed), 2 bad input.
"""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ._common import json_arg as _json_arg, limit_handlers, open_runtime, print_json as _print, run_action

if TYPE_CHECKING:
    from ..runtime import Runtime


def _model_name(name: str) -> str:
    return name if name.startswith("models.") else f"models.{name}"


def _pk(text: str) -> Any:
    return int(text) if text.lstrip("-").isdigit() else text


EVENT_TEST_TIMEOUT = 30.0


def _run(args, action) -> int:
    runtime = open_runtime(args, async_worker=False)
    if runtime is not None:
        limit_handlers(runtime, getattr(args, "timeout", None), getattr(args, "default_timeout", None))
    return run_action(runtime, action)


# -- data ----------------------------------------------------------------------------------------------------

def cmd_data(args) -> int:
    from ..runtime.values import to_json

    def action(rt: Runtime) -> None:
        model = rt.model(_model_name(args.model))
        if args.op == "create":
            _print(_as_stored(model, model.create(_json_arg(args.json, "JSON", dict))))
        elif args.op == "update":
            _print(_as_stored(model, model.updateByPK(_pk(args.id), _json_arg(args.json, "JSON", dict))))
        elif args.op == "delete":
            deleted = model.deleteByPK(_pk(args.id))
            if not deleted:
                raise LookupError(f"{model.full_name}: no row with {model.primary_key} = {args.id}")
            _print({"deleted": deleted})
        elif args.op == "get":
            row = model.getByPK(_pk(args.id))
            if row is None:
                raise LookupError(f"{model.full_name}: no row with {model.primary_key} = {args.id}")
            _print(row)
        else:
            rows = model.query(args.filter, orderList=[[model.primary_key, 1]], size=None)["rowDatas"]
            if args.json:
                _print(rows)
            else:
                _print_table(model.table.c.keys(), [to_json(r) for r in rows.value])

    return _run(args, action)


def _as_stored(model, row):
    """The row as it is stored once the write's sync handlers are done (an After handler may change it)."""
    from ..runtime.values import native

    return model.getByPK(native(row[model.primary_key])) or row


def _print_table(columns: list[str], rows: list[dict]) -> None:
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in columns] for r in rows]
    widths = [min(40, max([len(c)] + [len(row[i]) for row in cells])) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths)))
    for row in cells:
        print("  ".join(v[:w].ljust(w) for v, w in zip(row, widths)))
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def _cmd_session(args) -> int:
    from ._session import cmd_session

    return cmd_session(args)


# -- call, publish, event test ---------------------------------------------------------------------------------

def cmd_call(args) -> int:
    def action(rt: Runtime) -> None:
        call_args = _json_arg(args.args, "--args", list, [])
        call_kwargs = _json_arg(args.kwargs, "--kwargs", dict, {})
        _print(rt.call(args.function, call_args, call_kwargs))

    return _run(args, action)


def cmd_publish(args) -> int:
    def action(rt: Runtime) -> None:
        outcomes = rt.publish(args.sender, _json_arg(args.args, "--args", list, []), _json_arg(args.kwargs, "--kwargs", dict, {}))
        _print([o.to_json() for o in outcomes])

    return _run(args, action)


def cmd_event_test(args) -> int:
    result: dict[str, Any] = {}

    def action(rt: Runtime) -> None:
        if args.rerun_of is not None and args.payload is None:
            outcome = rt.rerun(args.rerun_of)
        else:
            outcome = rt.test_event(args.event, _json_arg(args.payload, "--payload", None, {}), rerun_of=args.rerun_of)
        result.update(outcome.to_json())
        _print(result)
        if outcome.failed:
            raise _Reported()

    status = _run(args, action)
    return status


class _Reported(Exception):
    """The failure is already in the printed JSON result."""

    def __str__(self) -> str:
        return "the event failed (see error above)"


# -- registration ----------------------------------------------------------------------------------------------

def _with_db(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--db", metavar="URL", help="database URL (default: $JITSTUDIO_DB_URL, app.json runtime.db, "
                                                    "else SQLite in DIR/.jitstudio/data.db)")
    return parser


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("the timeout must be more than 0 seconds")
    return value


def _with_timeout(parser: argparse.ArgumentParser, default: str) -> argparse.ArgumentParser:
    parser.add_argument("--timeout", metavar="SECONDS", type=_seconds,
                        help=f"interrupt a handler that runs longer (default: app.json runtime.handlerTimeoutSeconds, "
                             f"else {default})")
    return parser


def register(subparsers) -> None:
    data = subparsers.add_parser("data", help="create, read, update, delete and list an app's rows (JSON)")
    data.add_argument("dir", metavar="DIR", help="the app folder")
    ops = data.add_subparsers(dest="op", required=True, metavar="OP")
    create = _with_timeout(_with_db(ops.add_parser("create", help="create a row; prints it with its id")), "none")
    create.add_argument("model", metavar="MODEL")
    create.add_argument("json", metavar="JSON", help="the field values, a JSON object")
    update = _with_timeout(_with_db(ops.add_parser("update", help="update a row by primary key; prints it")), "none")
    update.add_argument("model", metavar="MODEL")
    update.add_argument("id", metavar="ID")
    update.add_argument("json", metavar="JSON")
    for name, text in (("delete", "delete a row by primary key"), ("get", "print a row by primary key")):
        parser = _with_db(ops.add_parser(name, help=text))
        if name == "delete":
            _with_timeout(parser, "none")
        parser.add_argument("model", metavar="MODEL")
        parser.add_argument("id", metavar="ID")
    session = _with_timeout(_with_db(ops.add_parser(
        "session", help="serve the app's data to the IDE: JSON requests on stdin, answers on stdout")), "30 s")
    session.set_defaults(func=_cmd_session)
    listing = _with_db(ops.add_parser("list", help="list rows, optionally filtered by a Q expression"))
    listing.add_argument("model", metavar="MODEL")
    listing.add_argument("--filter", metavar="Q", help="e.g. \"Q(Q('status', '=', 'paid'))\"")
    listing.add_argument("--json", action="store_true", help="print a JSON array of rows")
    data.set_defaults(func=cmd_data)

    call = _with_timeout(_with_db(subparsers.add_parser("call", help="call a service function; prints its return value as JSON")), "none")
    call.add_argument("dir", metavar="DIR")
    call.add_argument("function", metavar="services.Svc.function")
    call.add_argument("--args", metavar="JSON_ARRAY")
    call.add_argument("--kwargs", metavar="JSON_OBJECT")
    call.set_defaults(func=cmd_call)

    publish = _with_timeout(_with_db(subparsers.add_parser("publish", help="publish a custom event declared in a service's eventDescs")), "none")
    publish.add_argument("dir", metavar="DIR")
    publish.add_argument("sender", metavar="SENDER", help="services.Svc.eventName")
    publish.add_argument("--args", metavar="JSON_ARRAY")
    publish.add_argument("--kwargs", metavar="JSON_OBJECT")
    publish.set_defaults(func=cmd_publish)

    event = subparsers.add_parser("event", help="work with one event")
    event_ops = event.add_subparsers(dest="event_op", required=True, metavar="OP")
    test = _with_timeout(_with_db(event_ops.add_parser("test", help="run one event by hand (as sendEvent does); prints the result")),
                         f"{EVENT_TEST_TIMEOUT:g} s")
    test.add_argument("dir", metavar="DIR")
    test.add_argument("event", metavar="EVENT", help="the event's fullName, e.g. events.StockGuard")
    test.add_argument("--payload", metavar="JSON", help="model events: {\"prevData\": {...}, \"postData\": {...}}; "
                                                         "custom events: {\"args\": [...], \"kwargs\": {...}}")
    test.add_argument("--rerun-of", metavar="RECORD_ID", type=int,
                      help="re-run a recorded execution against the current code, linking the new record to it "
                           "(its recorded input is used unless --payload is given)")
    test.set_defaults(func=cmd_event_test, default_timeout=EVENT_TEST_TIMEOUT)
