"""Commands for approvals, agents and assistants: approval, agent, assistant.

Exit status: 0 done, 1 the app refused (not an approver, a handler aborted the action, the agent failed;
the message is printed), 2 bad input.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, Callable

from ._common import UsageError, json_arg, open_runtime, print_json as _print, run_action

if TYPE_CHECKING:
    from ..runtime import Runtime

SESSION_TYPES = ("TEXT", "VOICE")


ACTION_HELP = {
    "agree": "approve at the node where the user has a task",
    "refuse": "reject and end the approval (status Refuse)",
    "reject": "send the approval back to its start, to the submitter",
    "transmit": "hand the task to another user (--to)",
    "cancel": "withdraw the approval (the submitter or an admin)",
}


def _full(family: str, name: str) -> str:
    return name if name.startswith(family + ".") else f"{family}.{name}"


def _json_object(text: str | None, what: str) -> dict[str, Any]:
    return json_arg(text or None, what, dict, {})


def _describe(exc: BaseException) -> str:
    from ..runtime.engines.approvals import ApprovalAborted

    if isinstance(exc, ApprovalAborted):
        return f"{exc.event} stopped the action: {exc}"
    return str(exc)


def _run(args, action: Callable[[Runtime], None]) -> int:
    return run_action(open_runtime(args, async_worker=False), action, _describe)


def cmd_agent(args) -> int:
    def action(rt: Runtime) -> None:
        variables = _json_object(args.vars, "--vars")
        result = rt.engines.agent(_full("aiagents", args.agent)).run(args.input, variables)
        if args.json:
            _print(result.to_json())
            return
        for call in result.tool_calls:
            print(f"[tool] {call.name}({json.dumps(call.arguments, ensure_ascii=False)})" + (f" failed: {call.error}" if call.error else ""))
        print(result.answer)

    return _run(args, action)


def cmd_assistant(args) -> int:
    from contextlib import nullcontext

    from ..runtime.engines.ai.assistant import watching_nodes

    def action(rt: Runtime) -> None:
        inputs = _json_object(args.inputs, "--inputs")
        watching = watching_nodes(NodeProgress()) if args.progress else nullcontext()
        with watching:
            turn = rt.engines.assistant(_full("aiassistants", args.assistant)).run(
                args.input, inputs, args.session, session_type=args.session_type, app_name=args.from_app)
        if args.json:
            _print(turn.to_json())
            return
        print(turn.reply if turn.reply is not None else "(no reply)")
        print(f"session: {turn.session_id}", file=sys.stderr)

    return _run(args, action)


class NodeProgress:
    """`--progress`: one JSON line on stdout as each node starts and ends, printed at once:
    {"node", "status": "running" | "ok" | "failed", "at" (ISO UTC), "recordId" (the turn's execution record)}
    and, when it ends, "durationMs" and for a failure "error" (its first line)."""

    def __init__(self) -> None:
        self.started: dict[str, float] = {}

    def __call__(self, node: str, status: str, error: BaseException | None) -> None:
        import time
        from datetime import datetime, timezone

        from ..runtime.execution import current_execution

        now = time.perf_counter()
        execution = current_execution()
        line: dict[str, Any] = {"node": node, "status": status,
                                "at": datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z"),
                                "recordId": execution.record_id if execution is not None else None}
        if status == "running":
            self.started[node] = now
        elif node in self.started:
            line["durationMs"] = round((now - self.started.pop(node)) * 1000, 3)
        if error is not None:
            text = f"{type(error).__name__}: {error}".strip()
            line["error"] = text.splitlines()[0] if text else type(error).__name__
        print(json.dumps(line, ensure_ascii=False), flush=True)


def cmd_approval(args) -> int:
    from ..runtime.engines.approvals import acting_as

    def action(rt: Runtime) -> None:
        engine = rt.engines.approvals
        if args.action == "list":
            _print(engine.pending(args.user))
        elif args.action == "show":
            found = engine.instance(int(args.instance))
            if found is None:
                raise UsageError(f"no approval instance {args.instance}")
            _print(found)
        elif args.action == "users":
            _print(engine.users())
        elif args.action == "user":
            engine.add_user(args.name, args.role or [], args.title or "")
            _print({"name": args.name, "roles": sorted(set(args.role or []))})
        elif args.action == "submit":
            with acting_as(args.user):
                result = engine.submit(_full("workflows", args.workflow), _pk(args.record), user=args.user, comment=args.comment)
            _print(result.to_json())
        else:
            with acting_as(args.user):
                result = engine.act(int(args.instance), args.action, user=args.user, comment=args.comment, to=args.to, node=args.node)
            _print(result.to_json())

    return _run(args, action)


def _pk(text: str) -> Any:
    return int(text) if text.lstrip("-").isdigit() else text


def _with_db(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--db", metavar="URL", help="database URL (default: $JITSTUDIO_DB_URL, app.json runtime.db, "
                                                    "else SQLite in DIR/.jitstudio/data.db)")
    return parser


def register(subparsers) -> None:
    agent = _with_db(subparsers.add_parser("agent", help="run an AI agent once; prints its answer"))
    agent.add_argument("dir", metavar="DIR")
    agent.add_argument("agent", metavar="AGENT", help="aiagents.X or X")
    agent.add_argument("input", metavar="INPUT")
    agent.add_argument("--vars", metavar="JSON", help="prompt variables as a JSON object")
    agent.add_argument("--json", action="store_true", help="print answer, tool calls and events as JSON")
    agent.set_defaults(func=cmd_agent)

    assistant = _with_db(subparsers.add_parser("assistant", help="send one message to an AI assistant; prints its reply"))
    assistant.add_argument("dir", metavar="DIR")
    assistant.add_argument("assistant", metavar="ASSISTANT", help="aiassistants.X or X")
    assistant.add_argument("input", metavar="INPUT")
    assistant.add_argument("--session", metavar="ID", help="continue this session (default: a new one)")
    assistant.add_argument("--inputs", metavar="JSON", help="further start inputs as a JSON object, e.g. {\"orderId\": 1}")
    assistant.add_argument("--session-type", metavar="TYPE", type=str.upper, choices=SESSION_TYPES,
                           help="the type of a new session: TEXT (default) or VOICE")
    assistant.add_argument("--from-app", metavar="NAME", help="the turn is started by this app, not a user "
                                                            "(history step APP_TRIGGER_NODE with appName)")
    assistant.add_argument("--json", action="store_true", help="print reply, history and events as JSON")
    assistant.add_argument("--progress", action="store_true",
                           help="first print one JSON line as each node starts and ends: "
                                '{"node", "status": running|ok|failed, "at", "recordId", "durationMs", "error"}')
    assistant.set_defaults(func=cmd_assistant)

    approval = subparsers.add_parser("approval", help="submit, approve and list approval workflows")
    approval.add_argument("dir", metavar="DIR")
    ops = approval.add_subparsers(dest="action", required=True, metavar="ACTION")
    submit = _with_db(ops.add_parser("submit", help="submit a record for approval (or resubmit one sent back)"))
    submit.add_argument("workflow", metavar="WORKFLOW")
    submit.add_argument("record", metavar="RECORD_ID")
    submit.add_argument("--user", required=True)
    submit.add_argument("--comment")
    for name, text in ACTION_HELP.items():
        parser = _with_db(ops.add_parser(name, help=text))
        parser.add_argument("instance", metavar="INSTANCE_ID")
        parser.add_argument("--user", required=True)
        parser.add_argument("--comment")
        parser.add_argument("--to", metavar="USER", help="for transmit: who gets the task")
        parser.add_argument("--node", help="the node, when the user has tasks at several")
    listing = _with_db(ops.add_parser("list", help="pending approval tasks as JSON"))
    listing.add_argument("--user", help="only this user's tasks")
    listing.add_argument("--json", action="store_true", help="JSON output (the default)")
    show = _with_db(ops.add_parser("show", help="one approval instance with its history"))
    show.add_argument("instance", metavar="INSTANCE_ID")
    _with_db(ops.add_parser("users", help="users and their roles"))
    user = _with_db(ops.add_parser("user", help="add or update a user: user NAME --role ROLE …"))
    user.add_argument("name", metavar="NAME")
    user.add_argument("--role", action="append", help="a role (repeat for several)")
    user.add_argument("--title")
    approval.set_defaults(func=cmd_approval)
