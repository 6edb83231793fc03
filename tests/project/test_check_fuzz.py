"""`jitstudio check` never crashes, whatever one of the app's files holds, and every problem it prints is located.

Each case replaces one file of a copy of the example app (every file kind: app.json, e.json of every element
kind, config.json, model.py, service.py, inner.py) with hostile content or a hostile kind of file, runs `check`
in-process through the command line's own entry point (text or --json, stdout encoded as strict UTF-8 like a
terminal), and puts the file back. Cases are seeded: a failure names its case, and `replay_case` reruns it.

The short run is part of the normal suite; the long one is marked slow and runs $JITSTUDIO_FUZZ_CASES cases
(1,500 unless told, so that CI's slow run stays short; before a release run 10,000 or more):
`JITSTUDIO_FUZZ_CASES=10000 python3 -m pytest tests/project/test_check_fuzz.py -m slow`.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import random
import re
import shutil
import signal
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from jitstudio.cli import main as cli_main
from jitstudio.cli._project import examples_dir

SEED = 20240611
SHORT_CASES = 250
LONG_CASES = int(os.environ.get("JITSTUDIO_FUZZ_CASES", "1500"))
CASE_SECONDS = 20
OVERSIZED = 17 * 1024 * 1024  # past the cap on the size of an app file that jitstudio reads

TARGETS = [
    "app.json",
    "models/Order/e.json", "models/Order/model.py",
    "services/OrderSvc/e.json", "services/OrderSvc/service.py",
    "events/StockGuard/e.json", "events/StockGuard/inner.py",          # events.ModelType
    "events/OrderPaidSubscriber/e.json",                               # events.NormalType
    "events/RefundNodeHandled/e.json", "events/RefundNodeHandled/inner.py",  # events.WorkflowType
    "events/AssistantRunAudit/e.json",                                 # events.AIAssistantType
    "events/AgentToolPreCall/e.json",                                  # events.AIAgentType
    "workflows/RefundApproval/e.json", "workflows/RefundApproval/config.json",
    "aiagents/OrderAgent/e.json", "aiagents/OrderAgent/config.json",
    "aiassistants/ShopAssistant/e.json", "aiassistants/ShopAssistant/config.json",
]
ELEMENT_FOLDERS = ["models/Order", "events/StockGuard", "aiagents/OrderAgent"]
PROBLEM_LINE = re.compile(r"^[^\s:][^:]*:\d+:\d+: \S")


# -- hostile content: each takes the random source and the file's bytes and returns new bytes

def random_bytes(rng: random.Random, original: bytes) -> bytes:
    return rng.randbytes(rng.choice([0, 1, 7, 100, 4096]))


def truncated(rng: random.Random, original: bytes) -> bytes:
    return original[: rng.randrange(len(original))]


def deeply_nested(rng: random.Random, original: bytes, python: bool = False) -> bytes:
    depth = rng.choice([100, 1000, 20_000, 100_000])
    closed = rng.random() < 0.7
    if python:
        opener, closer = rng.choice([("(", ")"), ("[", "]"), ("{", "}"), ("-", ""), ("not ", "")])
        body = opener * depth + "1" + (closer * depth if closed else "")
        return f"X = {body}\n".encode()
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
    inner = "1" if opener.startswith("{") else ""
    return (opener * depth + inner + (closer * depth if closed else "")).encode()


def huge_number(rng: random.Random, original: bytes, python: bool = False) -> bytes:
    digits = rng.choice([4301, 5000, 100_000])
    number = rng.choice([
        "9" * digits, "-" + "1" * digits, "1." + "0" * digits, "1e" + "9" * 6, "-1e-" + "9" * 6, "0." + "5" * digits,
    ])
    if python:
        return _insert_line(rng, original, f"X = {number}\n".encode())
    return _replace_member(rng, original, lambda _value: _RawNumber(number))


def surrogate(rng: random.Random, original: bytes, python: bool = False) -> bytes:
    escape = rng.choice(["\\ud800", "\\udfff", "\\udc00x", "\\ud83d", "x\\ud800\\u0041"])
    if rng.random() < 0.25:  # a surrogate written raw, as CESU-8 bytes: not UTF-8 at all
        return _insert_at(rng, original, b"\xed\xa0\x80")
    if python:
        return _insert_line(rng, original, f'X = "{escape}"\n'.encode())
    as_key = rng.random() < 0.3
    return _replace_member(rng, original, lambda _value: _RawString(escape), key=escape if as_key else None)


WRONG_VALUES = [None, True, False, 0, -1, 1.5, "", "x", "models.Nope", [], {}, [1, "a"], {"a": {"b": []}}, "\u2028\x00"]


def wrong_type(rng: random.Random, original: bytes) -> bytes:
    return _replace_member(rng, original, lambda value: rng.choice([v for v in WRONG_VALUES if type(v) is not type(value)]))


def with_bom(rng: random.Random, original: bytes) -> bytes:
    return rng.choice([
        b"\xef\xbb\xbf" + original, b"\xef\xbb\xbf\xef\xbb\xbf" + original, _insert_at(rng, original, b"\xef\xbb\xbf"),
        b"\xff\xfe" + original.decode("utf-8").encode("utf-16-le"), b"\xfe\xff" + original.decode("utf-8").encode("utf-16-be"),
    ])


def not_utf8(rng: random.Random, original: bytes) -> bytes:
    text = original.decode("utf-8")
    return rng.choice([
        _insert_at(rng, original, bytes([rng.randrange(0x80, 0x100)])),
        text.encode("utf-16"), text.encode("utf-32"), text.replace('"', '"é', 1).encode("latin-1", "replace"),
        original.replace(b'"', b'"\xc3', 1), original + b"\xff",
    ])


INTERESTING = ['"', "{", "}", "[", "]", ",", ":", "\\", "\n", "\r", "\t", "\x00", "\u2028", "NaN", "-", "1e", "#",
               "def ", "class ", "    ", "(", ")", "=", ".", "Q(", "'''", "\ufeff", "\ud800"]


def text_edits(rng: random.Random, original: bytes) -> bytes:
    text = original.decode("utf-8")
    for _ in range(rng.randint(1, 5)):
        at = rng.randrange(len(text) + 1)
        choice = rng.random()
        if choice < 0.3:
            text = text[:at] + text[at + rng.randint(1, 20):]
        elif choice < 0.5:
            text = text[:at] + text[at : at + 8] * 2 + text[at + 8:]
        else:
            text = text[:at] + rng.choice(INTERESTING) + text[at:]
    return text.encode("utf-8", "surrogatepass")


def random_json(rng: random.Random, original: bytes) -> bytes:
    def value(depth: int):
        kind = rng.randrange(8 if depth < 4 else 5)
        if kind == 0:
            return None
        if kind == 1:
            return rng.random() < 0.5
        if kind == 2:
            return rng.randint(-10**20, 10**20)
        if kind == 3:
            return rng.choice([0.5, -1e308, 1e-300, 3.0])
        if kind == 4:
            return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randint(0, 12)))
        if kind == 5:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        return {rng.choice(["type", "title", "name", "fields", "nodes", "x"]): value(depth + 1) for _ in range(rng.randint(0, 4))}
    return json.dumps(value(0), ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 2])).encode()


# -- hostile kinds of file: each replaces the file at path with something else, and says whether check must
# report a problem of that file (a link to a readable file outside the app need not be wrong)

def symlink(rng: random.Random, path: Path, outside: Path) -> bool:
    path.unlink()
    target = rng.choice(["/dev/zero", "/dev/null", "/dev/urandom", str(outside / "valid.json"), str(outside / "missing"),
                         str(path), str(outside), str(outside / "huge.json")])
    path.symlink_to(target)
    return not target.endswith("valid.json")


def folder(rng: random.Random, path: Path, outside: Path) -> bool:
    path.unlink()
    path.mkdir()
    if rng.random() < 0.5:
        (path / "e.json").write_text("{}")
    return True


def fifo(rng: random.Random, path: Path, outside: Path) -> bool:
    path.unlink()
    os.mkfifo(path)
    return True


def oversized(rng: random.Random, path: Path, outside: Path) -> bool:
    path.write_bytes(b" " * OVERSIZED + path.read_bytes())
    return True


# -- a whole element folder made hostile

def element_folder_symlink(rng: random.Random, folder_path: Path, outside: Path) -> None:
    inside = folder_path.parent / (folder_path.name + "Copy")
    shutil.copytree(folder_path, inside)
    shutil.rmtree(folder_path)
    target = rng.choice([inside, outside, folder_path.parent, Path("/nonexistent")])
    folder_path.symlink_to(target, target_is_directory=True)


# -- helpers of the mutators

class _RawNumber(str):
    pass


class _RawString(str):
    pass


def _insert_at(rng: random.Random, original: bytes, piece: bytes) -> bytes:
    at = rng.randrange(len(original) + 1)
    return original[:at] + piece + original[at:]


def _insert_line(rng: random.Random, original: bytes, line: bytes) -> bytes:
    lines = original.splitlines(keepends=True)
    at = rng.randrange(len(lines) + 1)
    return b"".join(lines[:at] + [line] + lines[at:])


def _members(data, pointer=()):
    yield pointer, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _members(value, pointer + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _members(value, pointer + (index,))


def _replace_member(rng: random.Random, original: bytes, make: Callable, key: str | None = None) -> bytes:
    """The file with one member's value replaced (written raw for _RawNumber/_RawString), or its key renamed."""
    data = json.loads(original)
    pointer, value = rng.choice(list(_members(data))[1:] or [((), data)])
    marker = "@@FUZZ@@"
    new = make(value)
    parent = data
    for part in pointer[:-1]:
        parent = parent[part]
    if not pointer:
        data = marker
    elif key is not None and isinstance(parent, dict):
        parent[marker] = parent.pop(pointer[-1])
        new = _RawString(key)
    else:
        parent[pointer[-1]] = marker if isinstance(new, (_RawNumber, _RawString)) else new
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if isinstance(new, _RawNumber):
        text = text.replace(f'"{marker}"', new)
    elif isinstance(new, _RawString):
        text = text.replace(f'"{marker}"', f'"{new}"')
    return text.encode("utf-8")


CONTENT_MUTATIONS = [random_bytes, truncated, deeply_nested, huge_number, surrogate, wrong_type, with_bom, not_utf8,
                     text_edits, random_json]
PYTHON_MUTATIONS = [random_bytes, truncated, deeply_nested, huge_number, surrogate, with_bom, not_utf8, text_edits]
FILE_KIND_MUTATIONS = [symlink, folder, fifo, oversized]


@dataclass
class Case:
    number: int
    target: str
    mutation: str
    json_output: bool
    must_report: bool = False


@dataclass
class Outcome:
    case: Case
    status: int | None
    failure: str = ""


class HostileApp:
    """A copy of the example app whose files are made hostile one case at a time and put back after each."""

    def __init__(self, base: Path):
        self.root = shutil.copytree(examples_dir() / "shop", base / "shop", ignore=shutil.ignore_patterns(".jitstudio", "__pycache__"))
        self.outside = base / "outside"
        self.outside.mkdir()
        (self.outside / "valid.json").write_text('{"title": "outside the app"}')
        (self.outside / "huge.json").write_bytes(b" " * OVERSIZED + b"{}")
        self.originals = {rel: (self.root / rel).read_bytes() for rel in TARGETS}

    def run(self, seed: int, number: int) -> Outcome:
        rng = random.Random(f"{seed}:{number}")
        case = self._mutate(rng, number)
        try:
            return self._check(case)
        finally:
            self._restore(case.target)

    def _mutate(self, rng: random.Random, number: int) -> Case:
        json_output = rng.random() < 0.5
        roll = rng.random()
        if roll < 0.04:
            target = rng.choice(ELEMENT_FOLDERS)
            element_folder_symlink(rng, self.root / target, self.outside)
            return Case(number, target, "element_folder_symlink", json_output, must_report=True)
        target = rng.choice(TARGETS)
        path = self.root / target
        if roll < 0.15:
            mutation = rng.choice(FILE_KIND_MUTATIONS)
            must_report = mutation(rng, path, self.outside)
            return Case(number, target, mutation.__name__, json_output, must_report)
        python = target.endswith(".py")
        content = rng.choice(PYTHON_MUTATIONS if python else CONTENT_MUTATIONS)
        if content in (deeply_nested, huge_number, surrogate):
            data = content(rng, self.originals[target], python=python)
        else:
            data = content(rng, self.originals[target])
        path.write_bytes(data)
        return Case(number, target, content.__name__, json_output)

    def _check(self, case: Case) -> Outcome:
        out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", newline="\n")
        err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", newline="\n")
        argv = ["check", str(self.root)] + (["--json"] if case.json_output else [])
        try:
            with _time_limit(CASE_SECONDS), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                status = cli_main(argv)
                out.flush()
                err.flush()
        except BaseException:  # a crash is what this test looks for
            return Outcome(case, None, traceback.format_exc(limit=-3))
        stdout = out.buffer.getvalue().decode("utf-8")
        stderr = err.buffer.getvalue().decode("utf-8")
        if status not in (0, 1, 2):
            return Outcome(case, status, f"exit status {status}")
        if "Traceback" in stderr:
            return Outcome(case, status, stderr)
        return Outcome(case, status, self._unlocated(stdout, case))

    def _unlocated(self, stdout: str, case: Case) -> str:
        """What is wrong with the printed problems: unlocated ones, a hostile file not named, or output that is not
        what check promises."""
        if case.json_output:
            try:
                problems = json.loads(stdout)
            except ValueError as exc:
                return f"--json printed no JSON array: {exc}"
            bad = [p for p in problems if not self._located(p.get("path"), p.get("line"), p.get("col"))]
            paths = {p.get("path") for p in problems}
        else:
            bad = [line for line in stdout.splitlines() if not PROBLEM_LINE.match(line) or not self._located(line.split(":")[0], 1, 1)]
            paths = {line.split(":")[0] for line in stdout.splitlines()}
        if bad:
            return f"unlocated problems: {bad[:3]}"
        if case.must_report and case.target not in paths:
            return f"no problem names {case.target}: {stdout[:500]}"
        return ""

    def _located(self, path, line, col) -> bool:
        if not isinstance(path, str) or not path or path.startswith("/") or ".." in Path(path).parts:
            return False
        named = os.path.lexists(self.root / path) or path == "app.json"
        return named and isinstance(line, int) and isinstance(col, int) and line >= 1 and col >= 1

    def _restore(self, target: str) -> None:
        path = self.root / target
        if target in ELEMENT_FOLDERS:
            path.unlink()
            (path.parent / (path.name + "Copy")).rename(path)
            return
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
        path.write_bytes(self.originals[target])


class CheckHung(BaseException):
    """Raised in check by the alarm; a BaseException so that no `except OSError` of the code under test takes it."""


@contextlib.contextmanager
def _time_limit(seconds: int):
    """Turn a hang (a FIFO opened for reading blocks until a writer comes) into a failure of the case."""
    if sys.platform == "win32":
        yield
        return

    def expire(signum, frame):
        raise CheckHung(f"check did not finish in {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_cases(base: Path, seed: int, count: int) -> tuple[list[Outcome], dict[str, int]]:
    app = HostileApp(base)
    outcomes, kinds = [], {}
    for number in range(count):
        outcome = app.run(seed, number)
        kinds[outcome.case.mutation] = kinds.get(outcome.case.mutation, 0) + 1
        if outcome.failure:
            outcomes.append(outcome)
    return outcomes, kinds


def replay_case(base: Path, seed: int, number: int) -> Outcome:
    return HostileApp(base).run(seed, number)


def _report(failures: list[Outcome], seed: int, count: int) -> str:
    lines = [f"{len(failures)} of {count} cases of seed {seed} failed (rerun one with replay_case):"]
    for outcome in failures[:10]:
        case = outcome.case
        lines.append(f"case {case.number} ({case.mutation} of {case.target}, {'--json' if case.json_output else 'text'}): {outcome.failure}")
    return "\n".join(lines)


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and SIGALRM are POSIX")
def test_check_survives_hostile_files(tmp_path):
    failures, kinds = run_cases(tmp_path, SEED, SHORT_CASES)
    assert not failures, _report(failures, SEED, SHORT_CASES)
    assert set(kinds) >= {m.__name__ for m in CONTENT_MUTATIONS + FILE_KIND_MUTATIONS}


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and SIGALRM are POSIX")
def test_check_survives_many_hostile_files(tmp_path):
    failures, _ = run_cases(tmp_path, SEED + 1, LONG_CASES)
    assert not failures, _report(failures, SEED + 1, LONG_CASES)
