"""The list of cards: rows kept in step with the document, selection (the insertion point of the
palette), drag and drop to reorder or to drop a new statement, and the greyed state of invalid code."""
from __future__ import annotations

import json
from typing import Any, Mapping, NamedTuple, Protocol

from PySide6.QtCore import QByteArray, QMimeData, QPoint, Qt
from PySide6.QtGui import QDrag, QDragEnterEvent, QDragMoveEvent, QDropEvent, QPixmap
from PySide6.QtWidgets import QFrame, QGraphicsOpacityEffect, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...codesync import Card, CardKind, Issue
from ._card_row import CONTAINERS, CardBody, CardRow
from ._catalog import EditorCatalog, variables_of
from ._fields import own_key

CARD_MIME = "application/x-jitstudio-card"
NEW_CARD_MIME = "application/x-jitstudio-new-card"


class _Shape(NamedTuple):
    """What `CardListView` last worked out about a card's widgets."""

    card: Card
    stamp: object
    own: tuple
    structure: tuple


class FormActions(Protocol):
    """What the card list asks of the editor; each returns an error message, or None when done."""

    def edit_field(self, card_id: str, name: str, value: Any) -> str | None: ...
    def insert_card(self, kind: str, fields: dict, parent: str | None, index: int | None) -> str | None: ...
    def move_card(self, card_id: str, parent: str | None, index: int) -> str | None: ...
    def delete_card(self, card_id: str) -> str | None: ...


class _Canvas(QWidget):
    """The scrolled widget: it takes the drops, the card rows only start the drags."""

    def __init__(self, view: "CardListView"):
        super().__init__()
        self.view = view
        self.setAcceptDrops(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(CARD_MIME) or event.mimeData().hasFormat(NEW_CARD_MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self.view.show_drop_marker(event.position().toPoint())
        event.acceptProposedAction()

    def dragLeaveEvent(self, _event) -> None:
        self.view.drop_marker.hide()

    def dropEvent(self, event: QDropEvent) -> None:
        self.view.drop_marker.hide()
        self.view.drop(event.mimeData(), event.position().toPoint())
        event.acceptProposedAction()


class CardListView(QScrollArea):
    def __init__(self, actions: FormActions, catalog: EditorCatalog, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("cardList")
        self.form_actions = actions
        self.catalog = catalog
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.canvas = _Canvas(self)
        self.canvas.setObjectName("cardCanvas")
        layout = QVBoxLayout(self.canvas)
        layout.setContentsMargins(14, 12, 14, 16)
        layout.setSpacing(10)
        self.root_body = CardBody(None)
        layout.addWidget(self.root_body)
        self.end_hint = QLabel("Pick a statement in the palette to add it after the selected card, "
                               "or drag it to where it belongs.", objectName="hint", wordWrap=True)
        self.end_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.end_hint)
        layout.addStretch(1)
        self.setWidget(self.canvas)
        self.drop_marker = QFrame(self.canvas, objectName="dropMarker")
        self.drop_marker.setFixedHeight(3)
        self.drop_marker.hide()
        self.rows: dict[str, CardRow] = {}
        self.cards: tuple[Card, ...] = ()
        self.issues: list[Issue] = []
        self.selected_id: str | None = None
        self._key: tuple | None = None
        self._shapes: dict[str, _Shape] = {}
        self._shown_tops: dict[str, Card] = {}

    # ----- showing the document ------------------------------------------------------------------

    def set_cards(self, cards: tuple[Card, ...], issues: list[Issue], stamps: Mapping[str, object] | None = None) -> None:
        """Show `cards`. A row whose card has the same stamp (its source) and issues as last time is not
        touched; without `stamps` every row is brought up to date. A top-level card given again as the same
        object (its nested cards are then the same objects too) comes with the same stamps and issues as
        then: its rows are not looked at."""
        self.cards, self.issues = cards, issues
        key = tuple(self._structure(card, stamps) for card in cards)
        if key != self._key:
            self._rebuild(cards)
            self._key = key
            self._shown_tops = {}
        if len(self._shapes) > 2 * len(self.rows) + 64:
            self._shapes = {card_id: shape for card_id, shape in self._shapes.items() if card_id in self.rows}
        mine: dict[str, list[Issue]] = {}
        for issue in issues:
            mine.setdefault(issue.card_id, []).append(issue)
        shown_tops, self._shown_tops = self._shown_tops, {}
        for top in cards:
            if shown_tops.get(top.id) is not top:
                self._show(top, mine, stamps)
            if stamps is not None:
                self._shown_tops[top.id] = top
        if self.selected_id not in self.rows:
            self.selected_id = None

    def _show(self, top: Card, issues: Mapping[str, list[Issue]], stamps: Mapping[str, object] | None) -> None:
        for card in top.walk():
            row, own = self.rows[card.id], issues.get(card.id, [])
            shown = None if stamps is None else (stamps.get(card.id), own)
            if shown is not None and shown == row.shown:
                row.card = card
                continue
            row.update_card(card, own)
            row.shown = shown

    def _structure(self, card: Card, stamps: Mapping[str, object] | None) -> tuple:
        """The shape of `card` and everything nested in it: a change rebuilds rows. The same card object
        has the shape it had; a card whose stamp did not change keeps its own_key (reading fields renders them)."""
        known = self._shapes.get(card.id)
        if known is not None and known.card is card:
            return known.structure
        stamp = None if stamps is None else stamps.get(card.id)
        if known is not None and stamp is not None and known.stamp == stamp:
            own = known.own
        else:
            own = own_key(card)
        structure = (own, tuple(self._structure(child, stamps) for child in card.children))
        self._shapes[card.id] = _Shape(card, stamp, own, structure)
        return structure

    def _rebuild(self, cards: tuple[Card, ...]) -> None:
        """Bring the rows in line with `cards`, keeping every row whose card kept its id and shape."""
        scroll = self.verticalScrollBar().value()
        focused = next(((row.card.id, name) for row in self.rows.values() for name, editor in row.editors.items()
                        if editor.hasFocus()), None)
        old = dict(self.rows)
        self.rows = {}
        self._sync_body(self.root_body, cards, None, dict(old))
        for card_id, row in old.items():
            if self.rows.get(card_id) is not row:
                for editor in row.editors.values():
                    editor.blockSignals(True)
                row.setParent(None)
                row.deleteLater()
        if self.selected_id in self.rows:
            self.rows[self.selected_id].set_selected(True)
        self.verticalScrollBar().setValue(scroll)
        if focused and focused[0] in self.rows and focused[1] in self.rows[focused[0]].editors:
            self.rows[focused[0]].editors[focused[1]].setFocus()

    def _sync_body(self, body: CardBody, cards: tuple[Card, ...], parent_id: str | None,
                   reusable: dict[str, CardRow]) -> None:
        rows = []
        for card in cards:
            row = reusable.pop(card.id, None)
            if row is None or own_key(row.card) != own_key(card):
                row = CardRow(card, self, parent_id)
            row.parent_id = parent_id
            self.rows[card.id] = row
            if row.body is not None:
                self._sync_body(row.body, card.children, card.id, reusable)
            rows.append(row)
        body.place_rows(rows)

    def set_catalog(self, catalog: EditorCatalog) -> None:
        self.catalog = catalog
        self._key = None  # choices and argument lines come from the catalog: build the rows again
        self._shown_tops = {}
        self.rows, stale = {}, self.rows
        for row in stale.values():
            for editor in row.editors.values():
                editor.blockSignals(True)
        self.root_body.place_rows([])
        for row in stale.values():
            row.deleteLater()

    def set_editable(self, editable: bool) -> None:
        self.canvas.setEnabled(editable)
        if editable:
            self.canvas.setGraphicsEffect(None)
        else:
            effect = QGraphicsOpacityEffect(self.canvas)
            effect.setOpacity(0.5)
            self.canvas.setGraphicsEffect(effect)

    def expression_sections(self, field: str) -> list[tuple[str, list[tuple[str, str]]]]:
        if field == "sender":
            return [("Declared events", [(title, json.dumps(sender)) for sender, title in self.catalog.declared_events()])]
        return [("Event data", [(o.title, o.expression) for o in self.catalog.event_data]),
                ("Variables", [(name, name) for name in variables_of(self.cards)])]

    # ----- requests from the rows ----------------------------------------------------------------

    def select(self, card_id: str | None) -> None:
        if self.selected_id in self.rows:
            self.rows[self.selected_id].set_selected(False)
        self.selected_id = card_id if card_id in self.rows else None
        if self.selected_id is not None:
            self.rows[self.selected_id].set_selected(True)

    def commit(self, row: CardRow, name: str, value: Any) -> None:
        error = self.form_actions.edit_field(row.card.id, name, value)
        if error:
            row.show_error(name, error)
            self._shown_tops = {}

    def delete(self, card_id: str) -> None:
        self.form_actions.delete_card(card_id)

    def position_of(self, card_id: str) -> tuple[str | None, int]:
        row = self.rows[card_id]
        siblings = self._siblings(row.parent_id)
        return row.parent_id, [c.id for c in siblings].index(card_id)

    def _siblings(self, parent_id: str | None) -> tuple[Card, ...]:
        if parent_id is None:
            return self.cards
        return self.rows[parent_id].card.children

    def nudge(self, card_id: str, delta: int) -> None:
        parent, index = self.position_of(card_id)
        target = index + delta
        if 0 <= target < len(self._siblings(parent)):
            self.form_actions.move_card(card_id, parent, target)

    def add_branch(self, if_id: str, with_condition: bool) -> None:
        branches = self.rows[if_id].card.children
        before_else = sum(1 for b in branches if b.fields["keyword"] != "else")
        fields = {"condition": "True"} if with_condition else {}
        self.form_actions.insert_card(CardKind.BRANCH.value, fields, if_id, before_else if with_condition else None)

    def add_clause(self, try_id: str, keyword: str) -> None:
        fields = {"exception": "Exception"} if keyword == "except" else {"keyword": keyword}
        self.form_actions.insert_card(CardKind.CLAUSE.value, fields, try_id, None)

    def insertion_point(self) -> tuple[str | None, int | None]:
        """Where the palette inserts: into a selected branch, clause or block, else after the selected card, else
        (None, None): at the end of the function, which the editor keeps before a closing return."""
        if self.selected_id is None:
            return None, None
        row = self.rows[self.selected_id]
        if row.card.kind in CONTAINERS:
            return row.card.id, None
        parent, index = self.position_of(self.selected_id)
        return parent, index + 1

    # ----- drag and drop -------------------------------------------------------------------------

    def start_drag(self, row: CardRow) -> None:
        if not self.canvas.isEnabled():
            return
        mime = QMimeData()
        mime.setData(CARD_MIME, QByteArray(row.card.id.encode()))
        drag = QDrag(row)
        drag.setMimeData(mime)
        picture: QPixmap = row.grab()
        drag.setPixmap(picture.scaledToWidth(min(picture.width(), 360), Qt.TransformationMode.SmoothTransformation))
        drag.exec(Qt.DropAction.MoveAction)

    def drop_target(self, pos: QPoint) -> tuple[CardBody, int]:
        """The body under `pos` (canvas coordinates) and the index among its rows where a drop lands."""
        widget = self.canvas.childAt(pos)
        while widget is not None and not isinstance(widget, CardBody):
            if isinstance(widget, CardRow) and widget.card.kind in CONTAINERS and widget.header.rect().contains(
                    widget.header.mapFrom(self.canvas, pos)):
                return widget.body, 0  # on a branch's or loop's top line: first in its body
            widget = widget.parentWidget()
            if isinstance(widget, CardBody) and widget.holds_branches:
                widget = widget.parentWidget()
        body = widget if isinstance(widget, CardBody) else self.root_body
        rows = body.rows()
        index = sum(1 for r in rows if r.mapTo(self.canvas, QPoint(0, r.height() // 2)).y() < pos.y())
        return body, index

    def show_drop_marker(self, pos: QPoint) -> None:
        body, index = self.drop_target(pos)
        rows = body.rows()
        if rows and index < len(rows):
            y = rows[index].mapTo(self.canvas, QPoint(0, 0)).y() - 5
        elif rows:
            y = rows[-1].mapTo(self.canvas, QPoint(0, rows[-1].height())).y() + 2
        else:
            y = body.mapTo(self.canvas, QPoint(0, 0)).y()
        left = body.mapTo(self.canvas, QPoint(body.layout_.contentsMargins().left(), 0)).x()
        self.drop_marker.setGeometry(left, y, body.width() - body.layout_.contentsMargins().left(), 3)
        self.drop_marker.show()
        self.drop_marker.raise_()

    def drop(self, mime: QMimeData, pos: QPoint) -> None:
        body, index = self.drop_target(pos)
        if mime.hasFormat(NEW_CARD_MIME):
            spec = json.loads(bytes(mime.data(NEW_CARD_MIME).data()).decode())
            self.form_actions.insert_card(spec["kind"], spec["fields"], body.parent_id, index)
            return
        card_id = bytes(mime.data(CARD_MIME).data()).decode()
        if card_id not in self.rows:
            return
        parent, current = self.position_of(card_id)
        if parent == body.parent_id and current < index:
            index -= 1
        if parent != body.parent_id or current != index:
            self.form_actions.move_card(card_id, body.parent_id, index)
