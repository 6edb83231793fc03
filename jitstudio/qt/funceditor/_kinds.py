"""How each card kind looks: its colour, badge glyph, title, and the one-line summary of a card."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from ...codesync import Card, CardKind


@dataclass(frozen=True)
class KindStyle:
    title: str
    color: str
    glyph: str


KIND_STYLES: dict[CardKind, KindStyle] = {
    CardKind.ASSIGN: KindStyle("Set variable", "#8250df", "="),
    CardKind.SERVICE_CALL: KindStyle("Call service", "#2f6fdf", "ƒ"),
    CardKind.MODEL_OP: KindStyle("Model data", "#1a7f37", "▤"),
    CardKind.MESSAGE: KindStyle("Send message", "#bf8700", "✉"),
    CardKind.PUBLISH: KindStyle("Publish event", "#e16f24", "⚡"),
    CardKind.IF: KindStyle("Condition", "#0e8a9e", "?"),
    CardKind.BRANCH: KindStyle("Branch", "#0e8a9e", "›"),
    CardKind.FOR_EACH: KindStyle("For each", "#0b7a75", "↻"),
    CardKind.RETURN: KindStyle("Return", "#57606a", "↩"),
    CardKind.RAISE: KindStyle("Raise error", "#cf222e", "!"),
    CardKind.LOG: KindStyle("Log", "#6e7781", "≡"),
    CardKind.CALL: KindStyle("Call", "#3b5bdb", "( )"),
    CardKind.AUG_ASSIGN: KindStyle("Change variable", "#8250df", "±"),
    CardKind.WHILE: KindStyle("Repeat while", "#0b7a75", "⟳"),
    CardKind.WITH: KindStyle("With", "#6f42c1", "⊂"),
    CardKind.TRY: KindStyle("Try", "#c4432b", "⚑"),
    CardKind.CLAUSE: KindStyle("Clause", "#c4432b", "›"),
    CardKind.BREAK: KindStyle("Stop the loop", "#0b7a75", "■"),
    CardKind.CONTINUE: KindStyle("Next round", "#0b7a75", "»"),
    CardKind.PASS: KindStyle("Do nothing", "#8c959f", "–"),
    CardKind.ASSERT: KindStyle("Check", "#9a6700", "✓"),
    CardKind.DOCSTRING: KindStyle("Description", "#57606a", "❝"),
    CardKind.CODE: KindStyle("Code", "#424a53", "</>"),
}


def kind_color(kind: CardKind) -> QColor:
    return QColor(KIND_STYLES[kind].color)


@lru_cache(maxsize=None)
def kind_icon(kind: CardKind | str, size: int = 22) -> QIcon:
    """A rounded badge in the kind's colour with its glyph in white."""
    style = KIND_STYLES[CardKind(kind)]
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(style.color))
    painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.28, size * 0.28)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * (0.42 if len(style.glyph) > 1 else 0.62)))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, style.glyph)
    painter.end()
    return QIcon(pixmap)


def _short(element: str | None) -> str:
    return (element or "?").rsplit(".", 1)[-1]


def _call(args) -> str:
    parts = [v if k.isdigit() else f"{k}={v}" for k, v in args.items()]
    return ", ".join(parts)


def _target(card: Card) -> str:
    target = card.fields.get("target")
    return f"{target} = " if target else ""


def clause_words(card: Card) -> str:
    f = card.fields
    if f["keyword"] != "except":
        return f["keyword"]
    if f.get("exception") is None:
        return "except (any error)"
    return f"except {f['exception']}" + (f" as {f['name']}" if f.get("name") else "")


def summary(card: Card) -> str:
    """One line that says what the statement does, in the words of its fields."""
    f = card.fields
    kind = card.kind
    if kind is CardKind.ASSIGN:
        return f"{f['target']} = {f['value']}"
    if kind is CardKind.SERVICE_CALL:
        return f"{_target(card)}{_short(f['service'])}.{f['function']}({_call(f['args'])})"
    if kind is CardKind.MODEL_OP:
        return f"{_target(card)}{_short(f['model'])}.{f['operation']}({_call(f['args'])})"
    if kind is CardKind.MESSAGE:
        return f"{_target(card)}notify {f.get('receivers') or 'nobody'}: {f.get('title') or ''}"
    if kind is CardKind.PUBLISH:
        return f"{_target(card)}{f['via']}.publish({f.get('sender') or ''})"
    if kind is CardKind.IF:
        words = [f"if {card.children[0].fields['condition']}" if card.children else "if"]
        words += ["elif …" if b.fields["keyword"] == "elif" else "else" for b in card.children[1:]]
        return "  ·  ".join(words)
    if kind is CardKind.BRANCH:
        condition = f.get("condition")
        return f"{f['keyword']} {condition}" if condition is not None else f["keyword"]
    if kind is CardKind.FOR_EACH:
        return f"for {f['target']} in {f['iterable']}"
    if kind is CardKind.RETURN:
        return f"return {f['value']}" if f.get("value") is not None else "return"
    if kind is CardKind.RAISE:
        text = f"raise {f['exception']}" if f.get("exception") is not None else "raise"
        return text + (f" from {f['cause']}" if f.get("cause") is not None else "")
    if kind is CardKind.LOG:
        return f"log.{f['level']}({_call(f['args'])})"
    if kind is CardKind.CALL:
        return f"{f['callee']}({_call(f['args'])})"
    if kind is CardKind.AUG_ASSIGN:
        return f"{f['target']} {f['operator']} {f['value']}"
    if kind is CardKind.WHILE:
        return f"while {f['condition']}"
    if kind is CardKind.WITH:
        return f"with {f['items']}"
    if kind is CardKind.TRY:
        return "  ·  ".join(c.fields["keyword"] for c in card.children)
    if kind is CardKind.CLAUSE:
        return clause_words(card)
    if kind is CardKind.ASSERT:
        return f"assert {f['condition']}" + (f", {f['message']}" if f.get("message") is not None else "")
    if kind is CardKind.DOCSTRING:
        return f["text"].strip().splitlines()[0] if f["text"].strip() else ""
    if kind in (CardKind.BREAK, CardKind.CONTINUE, CardKind.PASS):
        return kind.value
    code = str(f.get("code", ""))
    first = code.strip().splitlines()[0] if code.strip() else ""
    return first + ("  …" if code.strip().count("\n") else "")
