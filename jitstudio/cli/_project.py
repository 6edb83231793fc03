"""Commands on the app's files: new, check, schema."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def examples_dir() -> Path:
    """The bundled example apps: package data, so the same place in a checkout, a wheel and a desktop bundle."""
    return EXAMPLES


SCHEMA_KINDS = (
    "app", "model", "service", "workflow", "workflow-config", "aiagent", "aiagent-config", "aiassistant",
    "aiassistant-config", "event-model", "event-workflow", "event-normal", "event-aiassistant", "event-aiagent",
)


def cmd_new(args) -> int:
    target = Path(args.dir)
    if target.exists() and any(target.iterdir()):
        print(f"jitstudio: {target} exists and is not empty", file=sys.stderr)
        return 2
    if args.example:
        source = examples_dir() / args.example
        if not source.is_dir():
            known = ", ".join(sorted(p.name for p in examples_dir().iterdir() if p.is_dir()))
            print(f"jitstudio: no example '{args.example}'; examples: {known}", file=sys.stderr)
            return 2
        shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".jitstudio", "__pycache__"))
    else:
        target.mkdir(parents=True, exist_ok=True)
        name = target.resolve().name
        app = {"name": name, "title": name, "version": "0.1.0", "runtime": {"eventChainDepth": 16}}
        (target / "app.json").write_text(json.dumps(app, indent=2) + "\n", encoding="utf-8")
        for family in ("models", "services", "events"):
            (target / family).mkdir(exist_ok=True)
    print(f"created {target}")
    return 0


def cmd_check(args) -> int:
    from ..project import load_project
    from ..runtime.data.storable import field_problems

    root = Path(args.dir)
    if not root.is_dir():
        print(f"jitstudio: {root} is not a folder", file=sys.stderr)
        return 2
    project = load_project(root)
    problems = sorted(project.problems + [p for m in project.models for p in field_problems(m)])
    if args.json:
        print(json.dumps([p.to_json() for p in problems], indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            print(problem)
        errors = sum(1 for p in problems if p.severity == "error")
        warnings = len(problems) - errors
        print(f"{len(project.elements)} elements, {errors} errors, {warnings} warnings", file=sys.stderr)
    return 1 if any(p.severity == "error" for p in problems) else 0


def cmd_schema(args) -> int:
    from ..project.schemas import FILE_KINDS

    if args.kind not in FILE_KINDS:
        print(f"jitstudio: unknown kind '{args.kind}'; kinds: {', '.join(FILE_KINDS)}", file=sys.stderr)
        return 2
    schema = FILE_KINDS[args.kind].model_json_schema(by_alias=True)
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0


def register(sub) -> None:
    p = sub.add_parser("new", help="create an app folder (empty, or a copy of an example)")
    p.add_argument("dir")
    p.add_argument("--example", help="copy a bundled example, e.g. shop")
    p.set_defaults(func=cmd_new)
    p = sub.add_parser("check", help="list every problem of an app as path:line:col: message")
    p.add_argument("dir")
    p.add_argument("--json", action="store_true", help="print problems as a JSON array")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("schema", help="print the JSON Schema of a file kind")
    p.add_argument("kind", help=", ".join(SCHEMA_KINDS))
    p.set_defaults(func=cmd_schema)
