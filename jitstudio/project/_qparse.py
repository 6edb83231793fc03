"""Recursive-descent parser for Q filter text, canonical and Django-like forms."""
from __future__ import annotations

from ._qlex import Token, tokenize
from ._qtree import (
    ALIASES,
    OPERATOR_KINDS,
    Condition,
    Group,
    Node,
    QSyntaxError,
    Q_not,
    allowed_operators_text,
    canonical_op,
    field_path_ok,
    line_col,
)

MAX_DEPTH = 50
_KWARG_OPS = set(OPERATOR_KINDS) | set(ALIASES)


class Parser:
    """expr := and ('|' and)* ; and := unary ('&' unary)* ; unary := '~' unary | '(' expr ')' | Q(...)"""

    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    # -- token helpers -------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def ahead(self, n: int = 1) -> Token:
        return self.tokens[min(self.i + n, len(self.tokens) - 1)]

    @property
    def prev_end(self) -> int:
        return self.tokens[self.i - 1].end if self.i else 0

    def advance(self) -> Token:
        tok = self.tok
        if tok.kind != "end":
            self.i += 1
        return tok

    def is_op(self, text: str, tok: Token | None = None) -> bool:
        tok = tok or self.tok
        return tok.kind == "op" and tok.text == text

    def is_q(self, follower: str) -> bool:
        return self.tok.kind == "name" and self.tok.text == "Q" and self.is_op(follower, self.ahead())

    def error(self, message: str, tok: Token | None = None) -> QSyntaxError:
        tok = tok or self.tok
        return QSyntaxError(message, tok.start, self.text)

    def found(self, tok: Token | None = None) -> str:
        tok = tok or self.tok
        if tok.kind == "end":
            return "the end of the filter"
        text = tok.text if len(tok.text) <= 30 else tok.text[:27] + "..."
        return repr(text)

    def expect_op(self, text: str, what: str) -> Token:
        if not self.is_op(text):
            raise self.error(f"expected {what}; found {self.found()}")
        return self.advance()

    def enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"the filter is nested too deeply (more than {MAX_DEPTH} levels)")

    def leave(self):
        self.depth -= 1

    # -- grammar -------------------------------------------------------
    def parse(self) -> Node | None:
        if self.tok.kind == "end":
            return None
        node = self.expr()
        if self.tok.kind != "end":
            raise self.error(f"unexpected {self.found()} after the end of the filter; join conditions with & or |")
        return node

    def expr(self) -> Node:
        return self.chain("|", "OR", lambda: self.chain("&", "AND", self.unary))

    def chain(self, symbol: str, connector: str, operand) -> Node:
        start = self.tok.start
        nodes = [operand()]
        while self.is_op(symbol):
            self.advance()
            nodes.append(operand())
        if len(nodes) == 1:
            return nodes[0]
        return Group(connector, tuple(nodes), span=(start, self.prev_end))

    def unary(self) -> Node:
        tok = self.tok
        if self.is_op("~"):
            self.advance()
            self.enter()
            node = self.unary()
            self.leave()
            return Q_not(node, span=(tok.start, self.prev_end))
        if self.is_op("("):
            self.advance()
            self.enter()
            node = self.expr()
            line, col = line_col(self.text, tok.start)
            self.expect_op(")", f"')' to close the '(' at line {line}, column {col}")
            self.leave()
            return node
        if self.is_q("("):
            return self.q_call()
        if self.is_q("."):
            raise self.error("Q.AND and Q.OR can only stand between two conditions inside Q(...)")
        raise self.error(f"expected a condition such as Q('status', '=', 'active'); found {self.found()}")

    def q_call(self) -> Node:
        start = self.advance().start
        self.advance()
        self.enter()
        if self.tok.kind == "string":
            node = self.canonical_condition(start)
        else:
            node = self.q_arguments(start)
        self.leave()
        return node

    def close_call(self):
        if self.is_op(",") and self.is_op(")", self.ahead()):
            self.advance()
        self.expect_op(")", "')' after the value")

    def canonical_condition(self, start: int) -> Condition:
        field_tok = self.advance()
        if not field_path_ok(field_tok.value):
            raise self.error(_bad_field(field_tok.value), field_tok)
        self.expect_op(",", "',' and then the operator, as in Q('age', '>', 18)")
        op_tok = self.tok
        if op_tok.kind != "string":
            raise self.error(f"expected the operator as a string such as '>'; found {self.found()}")
        self.advance()
        op = canonical_op(op_tok.value)
        if op is None:
            raise self.error(f"unknown operator {op_tok.value!r}; allowed: {allowed_operators_text()}", op_tok)
        self.expect_op(",", "',' and then the value, as in Q('age', '>', 18)")
        value = self.value()
        self.close_call()
        return Condition(field_tok.value, op, value, span=(start, self.prev_end))

    def q_arguments(self, start: int) -> Node:
        """Items of Q(...): conditions, keyword conditions and Q.AND/Q.OR connectors."""
        nodes: list[Node] = []
        connector_toks: list[Token] = []
        keyword_tok = implicit_and_tok = None
        previous = "connector"
        while not self.is_op(")"):
            tok = self.tok
            if self.is_q("."):
                if previous == "connector":
                    raise self.error("Q.AND and Q.OR must stand between two conditions")
                connector_toks.append(self.connector())
                previous = "connector"
            else:
                if previous == "condition":
                    implicit_and_tok = implicit_and_tok or tok
                if tok.kind == "name" and self.is_op("=", self.ahead()):
                    keyword_tok = keyword_tok or tok
                    nodes.append(self.keyword_condition())
                else:
                    nodes.append(self.expr())
                previous = "condition"
            if not self.is_op(","):
                break
            self.advance()
        if previous == "connector" and connector_toks:
            raise self.error("Q.AND and Q.OR must stand between two conditions", connector_toks[-1])
        self.expect_op(")", "',' or ')'")
        connector = self.pick_connector(connector_toks, keyword_tok, implicit_and_tok)
        if len(nodes) == 1:
            return nodes[0]
        return Group(connector, tuple(nodes), span=(start, self.prev_end))

    def connector(self) -> Token:
        """Q.AND or Q.OR, as one token spanning the whole spelling."""
        start = self.advance().start
        self.advance()
        tok = self.tok
        if tok.kind != "name" or tok.text not in ("AND", "OR"):
            raise self.error(f"expected Q.AND or Q.OR; found {self.found()}")
        self.advance()
        return Token("name", tok.text, start, tok.end)

    def pick_connector(self, connector_toks, keyword_tok, implicit_and_tok) -> str:
        first_or = next((t for t in connector_toks if t.text == "OR"), None)
        if first_or is None:
            return "AND"
        if any(t.text == "AND" for t in connector_toks) or implicit_and_tok:
            raise self.error("cannot mix Q.AND and Q.OR in one Q(...); wrap one side in its own Q(...)", first_or)
        if keyword_tok:
            raise self.error(
                "keyword conditions are joined with AND and cannot be combined with Q.OR here; "
                "wrap them in their own Q(...)",
                keyword_tok,
            )
        return "OR"

    def keyword_condition(self) -> Condition:
        name_tok = self.advance()
        parts = name_tok.text.split("__")
        if len(parts) > 1 and parts[-1] in _KWARG_OPS:
            field, op = "__".join(parts[:-1]), canonical_op(parts[-1])
        else:
            field, op = name_tok.text, "="
        if not field_path_ok(field):
            raise self.error(_bad_field(field), name_tok)
        self.advance()
        value = self.value()
        return Condition(field, op, value, span=(name_tok.start, self.prev_end))

    def value(self):
        tok = self.tok
        if tok.kind in ("string", "number"):
            return self.advance().value
        if tok.kind == "op" and tok.text in "+-" and self.ahead().kind == "number":
            self.advance()
            number = self.advance().value
            return -number if tok.text == "-" else number
        if tok.kind == "name" and tok.text in ("True", "False", "None"):
            self.advance()
            return {"True": True, "False": False, "None": None}[tok.text]
        if self.is_op("[") or self.is_op("("):
            return self.sequence()
        raise self.error(
            f"expected a value (a number, a 'string', True, False, None or a [list]); found {self.found()}"
        )

    def sequence(self):
        opener = self.advance()
        closer = "]" if opener.text == "[" else ")"
        self.enter()
        items = []
        trailing_comma = False
        while not self.is_op(closer):
            items.append(self.value())
            trailing_comma = self.is_op(",")
            if not trailing_comma:
                break
            self.advance()
        self.expect_op(closer, f"',' or '{closer}'")
        self.leave()
        if closer == ")" and len(items) == 1 and not trailing_comma:
            return items[0]
        return tuple(items)


def _bad_field(name: str) -> str:
    return (
        f"invalid field name {name!r}; use letters, digits and _ (not starting with a digit), "
        "with __ between a relation and its field"
    )


def parse_text(text: str) -> Node | None:
    return Parser(text).parse()
