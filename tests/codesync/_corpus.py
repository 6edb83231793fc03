"""Functions of real third-party code: the packages `pip install -e ".[test]"` puts into site-packages.

Used by test_edit_fuzz.py and bench/card_coverage.py. Functions are the ones codesync offers
(module-level functions and methods, as FunctionDocument.all_from_source lists them). For the edit
test each is cut out of its module into a small module of its own (a method under a one-line
``class`` header), so that a fresh parse after every edit costs little; the cut keeps every byte of
the function's lines, a missing final newline included."""
from __future__ import annotations

import ast
import random
import re
import site
import tomllib
import warnings
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
MAX_BYTES = 300_000
_SELF = re.compile(r"jitstudio\[(.*)\]")


@dataclass(frozen=True)
class Function:
    path: str           # the module it was cut from
    qualname: str       # Class.method or function, as in that module
    line: int           # its first line there
    source: str         # the cut-out module: the function alone, or under "class <Owner>:"
    function: str
    class_name: str | None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line} {self.qualname}"


def _requirements() -> list[Requirement]:
    """What `pip install -e ".[test]"` installs, read from pyproject.toml (extras of jitstudio
    itself, like ``jitstudio[ide,postgres]``, are followed)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    optional, wanted, done = project.get("optional-dependencies", {}), ["test"], set()
    lines = list(project.get("dependencies", []))
    while wanted:
        extra = wanted.pop()
        if extra in done:
            continue
        done.add(extra)
        for line in optional.get(extra, []):
            own = _SELF.match(line)
            if own:
                wanted += [e.strip() for e in own.group(1).split(",")]
            else:
                lines.append(line)
    requirements = [Requirement(line) for line in lines]
    return [r for r in requirements if r.marker is None or r.marker.evaluate()]


def ci_distributions() -> dict[str, metadata.Distribution]:
    """The installed distributions in the dependency closure of jitstudio[test], by name."""
    found: dict[str, metadata.Distribution] = {}
    todo = _requirements()
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in found or name == "jitstudio":
            continue
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            continue
        found[name] = dist
        envs = [{"extra": e} for e in (*req.extras, "")]
        for line in dist.requires or []:
            sub = Requirement(line)
            if sub.marker is None or any(sub.marker.evaluate(env) for env in envs):
                todo.append(sub)
    return found


def corpus_files() -> list[Path]:
    """The .py files under site.getsitepackages() that belong to those distributions, sorted (the
    files each distribution installed, so that packages CI does not install stay out)."""
    roots = [Path(p).resolve() for p in site.getsitepackages()]
    files = set()
    for dist in ci_distributions().values():
        for entry in dist.files or []:
            if entry.suffix != ".py":
                continue
            path = Path(dist.locate_file(entry)).resolve()
            if any(path.is_relative_to(root) for root in roots) and path.is_file():
                files.add(path)
    return sorted(files)


def read_module(path: Path) -> tuple[str, ast.Module] | None:
    """The text and tree of a module, or None when it is too large, not UTF-8 or does not compile."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        text = path.read_bytes().decode("utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
            compile(tree, str(path), "exec", dont_inherit=True)
            return text, tree
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return None


def functions_of(tree: ast.Module) -> list[tuple[str | None, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Module-level functions and methods of (nested) classes: the ones codesync offers."""
    out, queue = [], [(None, tree.body)]
    while queue:
        owner, body = queue.pop(0)
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.append((owner, node))
            elif isinstance(node, ast.ClassDef):
                queue.append((node.name if owner is None else f"{owner}.{node.name}", node.body))
    return out


def _cut(path: Path, lines: list[str], owner: str | None, node: ast.FunctionDef) -> Function | None:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    text = "".join(lines[first - 1:node.end_lineno])
    class_name = owner.rpartition(".")[2] if owner else None
    source = f"class {class_name}:\n{text}" if class_name else text
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, str(path), "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return None
    qualname = f"{owner}.{node.name}" if owner else node.name
    return Function(str(path), qualname, first, source, node.name, class_name)


def lines_of(text: str) -> list[str]:
    """Lines as CPython counts them (\\n, \\r\\n or \\r), each with its line break."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", text)


def pick_functions(count: int, seed: int = 0, per_file: int = 2) -> list[Function]:
    """``count`` functions, at most ``per_file`` from one module, chosen the same way for a seed."""
    rng = random.Random(seed)
    files = corpus_files()
    rng.shuffle(files)
    chosen: list[Function] = []
    for path in files:
        if len(chosen) >= count:
            break
        module = read_module(path)
        if module is None:
            continue
        text, tree = module
        candidates = functions_of(tree)
        lines = lines_of(text)
        for owner, node in rng.sample(candidates, min(per_file, len(candidates))):
            function = _cut(path, lines, owner, node)
            if function is not None and len(chosen) < count:
                chosen.append(function)
    return chosen


def load(path: str, qualname: str) -> Function:
    """The function ``qualname`` of the module at ``path``, cut out as pick_functions does."""
    text, tree = read_module(Path(path))
    owner, _, name = qualname.rpartition(".")
    node = next(n for o, n in functions_of(tree) if (o or "") == owner and n.name == name)
    return _cut(Path(path), lines_of(text), owner or None, node)
