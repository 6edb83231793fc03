"""The editing engine: every form edit becomes a splice of the smallest run of lines that expresses it."""
from __future__ import annotations

import ast
import itertools
import re
import textwrap
from typing import Any, Callable

import libcst as cst

from ._classify import branch_fields, classify_compound, clause_fields
from ._errors import FieldValueError
from ._fields import Expressions
from ._model import CardKind
from ._render import Renderer
from ._verbatim import parse_module
from ._tree import Builder, Hints, Slot, collect_body_interest, collect_interest, materialize, units_of


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def check_parses(text: str, what: str) -> ast.Module:
    try:
        return ast.parse(text)
    except SyntaxError as exc:
        raise FieldValueError(f"{what}: {exc.msg}") from None


def without_semicolon(node: cst.BaseSmallStatement) -> cst.BaseSmallStatement:
    return node.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)


def is_bare_pass(slot: Slot) -> bool:
    if not isinstance(slot.node, cst.Pass):
        return False
    if slot.in_suite:
        return len(slot.parent.children) == 1
    line = slot.line
    return (isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 and not line.leading_lines
            and line.trailing_whitespace.comment is None)


class Engine:
    """Working state of one function: the text (always newline-terminated) and its slot tree."""

    def __init__(self, module: cst.Module, text: str, root: Slot, root_indent: list[str],
                 renderer: Renderer, counter: Callable[[], int]) -> None:
        self.module = module
        self.text = text
        self.root = root
        self.root_indent = root_indent
        self.renderer = renderer
        self.exprs = Expressions(module, renderer)
        self._counter = counter
        self.version = 0
        # Ids of the `pass` cards this document wrote to keep a body valid (an emptied body, a new
        # block): the next card put into that body takes their place. A `pass` read from the
        # source is the user's and stays.
        self.placeholders: set[str] = set()
        # Set when an edit left text whose fresh parse groups comments differently from the cards.
        self.needs_resync = False
        self._index: dict[str, Slot] = {}
        self._index_version = -1
        body = root.node.body
        # New blocks are indented the way this function indents its own body.
        self.block_indent: str = getattr(body, "indent", None) or renderer.indent

    def allocate(self) -> str:
        return f"c{self._counter()}"

    def placeholder(self, hints: Hints) -> cst.Pass:
        """A new `pass` that holds a body's place until a card goes there."""
        node = cst.Pass()
        card_id = self.allocate()
        hints[(id(node), False)] = card_id
        self.placeholders.add(card_id)
        return node

    def holds_place(self, body: list[Slot]) -> bool:
        """Whether ``body`` is only a placeholder `pass` this document wrote."""
        return len(body) == 1 and body[0].id in self.placeholders and is_bare_pass(body[0])

    def mark_placeholders(self, slot: Slot) -> None:
        """Every bare `pass` in a card just written from a template holds a place."""
        for inner in slot.walk():
            if inner is not slot and is_bare_pass(inner):
                self.placeholders.add(inner.id)

    # ----- primitives ----------------------------------------------------------------------------

    def _splice(self, start: int, end: int, new_text: str, innermost: Slot | None) -> None:
        self.text = self.text[:start] + new_text + self.text[end:]
        delta = len(new_text) - (end - start)
        self.version += 1
        ancestors = set()
        while innermost is not None:
            innermost.edited = self.version
            ancestors.add(id(innermost))
            innermost = innermost.parent
        if not delta:
            return
        for slot in self.root.walk():
            if id(slot) in ancestors or slot.start < start < slot.end:  # the edit lies inside it
                slot.end += delta
            elif slot.start >= end:
                slot.start += delta
                slot.stmt_start += delta
                slot.end += delta

    def replace_units(self, parent: Slot, first: int, last: int, nodes: list[cst.BaseStatement],
                      hints: Hints) -> list[Slot]:
        """Replace line units [first, last) of ``parent``'s indented body with ``nodes``."""
        groups = units_of(parent.children)
        start = groups[first][0].start if first < len(groups) else groups[-1][0].end
        end = groups[last - 1][0].end if last > first else start
        removed = [old for group in groups[first:last] for slot in group for old in slot.walk()]
        for old in removed:
            hints.setdefault((id(old.node), old.kind is CardKind.BRANCH), old.id)
        indexed = self._index_version == self.version
        if not nodes and last - first == len(groups):
            nodes = [cst.SimpleStatementLine(body=[self.placeholder(hints)])]
        interest: set[int] = set()
        for node in nodes:
            collect_interest(node, interest)
        assert parent.body_indent is not None
        text, spans = self.renderer.render(nodes, parent.body_indent, interest)
        at = sum(len(g) for g in groups[:first])
        del parent.children[at:at + sum(len(g) for g in groups[first:last])]
        self._splice(start, end, text, parent)
        builder = Builder(self.text, start, spans, self.renderer, self.allocate, hints)
        new = [s for node in nodes for s in builder.unit(node, parent, parent.body_indent)]
        parent.children[at:at] = new
        if indexed:
            self._reindex(removed, new)
        before = nodes[-1] if nodes else (groups[first - 1][0].line if first > 0 else None)
        if isinstance(before, cst.BaseCompoundStatement) and self._deep_comment_at(
                start + len(text), len("".join(parent.body_indent))):
            self.needs_resync = True
        return new

    def _deep_comment_at(self, offset: int, indent: int) -> bool:
        """Whether the lines at ``offset`` start with a comment indented deeper than ``indent``:
        after a block, the parser reads such a comment as the end of that block, not as the
        comment of the statement after it."""
        for match in _LINE.finditer(self.text, offset):
            line = match.group().rstrip("\r\n")
            content = line.lstrip(" \t\f")
            if content:
                return content.startswith("#") and len(line) - len(content) > indent
        return False

    def rerender(self, unit: Slot, node: cst.CSTNode, hints: Hints) -> None:
        """Write ``unit`` (a line unit, or the function itself) again from ``node``."""
        if unit is self.root:
            for old in self.root.walk():
                hints.setdefault((id(old.node), old.kind is CardKind.BRANCH), old.id)
            interest = {id(node)}
            collect_body_interest(node.body, interest)
            text, spans = self.renderer.render([node], self.root_indent, interest)
            start = self.root.start
            self._splice(start, self.root.end, text, None)
            self.root = Builder(self.text, start, spans, self.renderer, self.allocate, hints).root(
                node, self.root_indent)
            return
        parent = unit.parent
        assert parent is not None
        index = next(i for i, g in enumerate(units_of(parent.children)) if any(s is unit for s in g))
        self.replace_units(parent, index, index + 1, [node], hints)

    @staticmethod
    def owner_unit(slot: Slot) -> Slot:
        """The line unit whose text holds ``slot``'s statement."""
        if slot.in_suite:
            slot = slot.parent
        if slot.kind in (CardKind.BRANCH, CardKind.CLAUSE):
            slot = slot.parent
        return slot

    def get(self, card_id: str) -> Slot:
        """The card an edit just wrote or kept: it is there."""
        slot = self.find(card_id)
        assert slot is not None, card_id
        return slot

    def _reindex(self, removed: list[Slot], added: list[Slot]) -> None:
        """Keep the card index current when the slots ``removed`` gave way to ``added`` (with their subtrees)."""
        for slot in removed:
            if self._index.get(slot.id) is slot:
                del self._index[slot.id]
        for top in added:
            for slot in top.walk():
                self._index[slot.id] = slot
        self._index_version = self.version

    def find(self, card_id: str) -> Slot | None:
        if self._index_version != self.version:
            self._index = {slot.id: slot for slot in self.root.walk() if slot is not self.root}
            self._index_version = self.version
        slot = self._index.get(card_id)
        if slot is not None and slot.id == card_id:
            return slot
        self._index_version = -1  # an id changed without an edit (ids put back after a refusal): look again
        for slot in self.root.walk():
            if slot.id == card_id and slot is not self.root:
                return slot
        return None

    # ----- field edits ---------------------------------------------------------------------------

    def replace_small(self, slot: Slot, new: cst.CSTNode, hints: Hints) -> None:
        """Put ``new`` where small statement ``slot`` is (in its line or its one-line suite)."""
        hints[(id(new), False)] = slot.id
        if slot.in_suite:
            container = slot.parent
            suite = container.node.body
            smalls = [new if c is slot else c.node for c in container.children]
            self.rerender_with(container, suite.with_changes(body=smalls), hints)
            return
        line = slot.line
        body = [new if s is slot.node else s for s in line.body]
        self.rerender(slot, line.with_changes(body=body), hints)

    def rerender_with(self, container: Slot, body: cst.BaseSuite, hints: Hints) -> None:
        """Write the unit holding ``container`` again, with ``body`` as that container's body."""
        unit = self.owner_unit(container)
        self.rerender(unit, materialize(unit, hints, {id(container): body}), hints)

    def set_clause(self, clause: Slot, new: cst.CSTNode) -> None:
        """A new header for one clause of a try card: the try is written again around it."""
        unit, old = self.owner_unit(clause), clause.node
        clause.node = new
        try:
            hints: Hints = {}
            node = materialize(unit, hints)
            check_parses(self.renderer(node.with_changes(leading_lines=())), "except")
            self.rerender(unit, node, hints)
        except Exception:
            clause.node = old
            raise
        clause.fields = clause_fields(new, self.renderer)

    def set_header(self, slot: Slot, new: cst.CSTNode) -> None:
        """A new if/elif/for header for a container: splice just the header lines when it can."""
        holder = slot.children[0] if slot.kind is CardKind.IF else slot
        probe = new.with_changes(body=new.body.with_changes(body=(), footer=()) if isinstance(
            new.body, cst.IndentedBlock) else new.body)
        if isinstance(probe, cst.If):
            probe = probe.with_changes(orelse=None)
        check_parses(self.renderer(probe.with_changes(leading_lines=())), "condition")
        if not isinstance(new.body, cst.IndentedBlock):
            unit = self.owner_unit(holder)
            saved = [(s, s.node) for s in {id(holder): holder, id(slot): slot}.values()]
            for target in (holder, slot):
                target.node = new
            try:
                hints: Hints = {}
                self.rerender(unit, materialize(unit, hints), hints)
            except Exception:
                for target, node in saved:
                    target.node = node
                raise
            return
        unit = holder.parent if holder.kind is CardKind.BRANCH else holder
        is_elif = holder.kind is CardKind.BRANCH and holder.fields.get("keyword") == "elif"
        header = probe.body.header
        text, spans = self.renderer.render([probe], unit.parent.body_indent, {id(header)},
                                           **({"is_elif": True} if is_elif else {}))
        indexed = self._index_version == self.version
        self._splice(holder.start, holder.children[0].start, text[:spans[id(header)][1]], holder)
        if indexed:  # the same slots, only their text moved
            self._index_version = self.version
        holder.node = new
        if holder.kind is CardKind.BRANCH:
            holder.fields = branch_fields(new, holder.fields["keyword"] == "if", self.renderer)
            if holder.fields["keyword"] == "if":
                unit.node = unit.line = new
                unit.fields = classify_compound(new, self.renderer)[1]
        else:
            holder.line = new
            holder.fields = classify_compound(new, self.renderer)[1]

    def parse_statement(self, code: Any, what: str = "code") -> cst.BaseStatement:
        if not isinstance(code, str) or not code.strip():
            raise FieldValueError(f"{what}: statement text is required")
        if code[:1] in " \t":
            code = textwrap.dedent(code)
        if not code.endswith(("\n", "\r")):
            code += self.renderer.newline
        tree = check_parses(code, what)
        try:
            parsed = parse_module(code, tree, self.module.config_for_parsing)
        except Exception as exc:
            raise FieldValueError(f"{what}: {str(exc).strip().splitlines()[0]}") from None
        if len(parsed.body) != 1:
            raise FieldValueError(f"{what}: expected one statement, got {len(parsed.body)}")
        if any(line.comment is not None for line in parsed.footer):
            raise FieldValueError(f"{what}: comments after the statement belong to the next card")
        statement = parsed.body[0]
        if parsed.default_indent != self.renderer.indent:
            statement = statement.visit(_ExplicitIndent(parsed.default_indent))
        if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) > 1:
            raise FieldValueError(f"{what}: one statement per card; these are {len(statement.body)} "
                                  "statements joined by ';', add each as its own card")
        if parsed.header:
            statement = statement.with_changes(leading_lines=[*parsed.header, *statement.leading_lines])
        return statement

    def set_code(self, slot: Slot, code: Any) -> None:
        if code == slot.fields.get("code"):
            return
        statement = self.parse_statement(code)
        hints: Hints = {}
        single_small = isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
        if slot.line is slot.node:  # a compound statement: the whole unit is replaced
            self._replace_statement(slot, statement, slot.node.leading_lines)
            return
        alone = not slot.in_suite and len(slot.line.body) == 1
        if single_small and not statement.leading_lines and (
                alone or statement.trailing_whitespace.comment is None):
            new = statement.body[0].with_changes(semicolon=slot.node.semicolon)
            if alone and statement.trailing_whitespace.comment is not None:
                hints[(id(new), False)] = slot.id
                self.rerender(slot, slot.line.with_changes(body=[new],
                                                         trailing_whitespace=statement.trailing_whitespace), hints)
            else:
                self.replace_small(slot, new, hints)
            return
        if not alone:
            raise FieldValueError("code: this statement shares its line; it can only become one simple statement")
        self._replace_statement(slot, statement, slot.line.leading_lines)

    def _replace_statement(self, slot: Slot, statement: cst.BaseStatement, leading: Any) -> None:
        statement = statement.with_changes(leading_lines=[*leading, *statement.leading_lines])
        hints: Hints = {(id(statement), False): slot.id}
        if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
            hints[(id(statement.body[0]), False)] = slot.id
        self.rerender(slot, statement, hints)


class _ExplicitIndent(cst.CSTTransformer):
    """Blocks of a statement parsed on its own keep the indentation they were written with when
    they are rendered in a module that indents differently."""

    def __init__(self, indent: str) -> None:
        super().__init__()
        self.indent = indent

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated.with_changes(indent=self.indent) if updated.indent is None else updated


def make_counter() -> Callable[[], int]:
    return itertools.count(1).__next__
