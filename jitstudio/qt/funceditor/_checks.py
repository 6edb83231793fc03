"""What the function editor works out about the cards of the document: per card its stamp (the source lines
it spans: a card whose lines did not change kept its fields) and its issues (`FunctionDocument.validate`,
kept for a card whose stamp did not change), and the warnings the code view shows for them.

The document gives back a card that did not change as the same object, nested cards included: a top-level
card that is the same object as last time keeps everything worked out for it, without a look inside."""
from __future__ import annotations

from typing import Mapping, NamedTuple

from ...codesync import Card, FunctionSignature, Issue, validate_card
from ..widgets.code_editor import Marker


class _Checked(NamedTuple):
    """One top-level card and the cards nested in it, checked."""

    card: Card
    stamps: dict[str, tuple]
    issues: dict[str, list[Issue]]
    markers: list[Marker]


class CardChecks:
    def __init__(self, signatures: Mapping[str, FunctionSignature]) -> None:
        self.signatures = signatures
        self.stamps: dict[str, tuple] = {}
        self.issues: list[Issue] = []
        self.markers: list[Marker] = []
        self._checked: dict[str, _Checked] = {}

    def set_signatures(self, signatures: Mapping[str, FunctionSignature]) -> None:
        """Check every card against new callee signatures at the next `check`."""
        self.signatures = signatures
        self._checked = {}

    def check(self, cards: tuple[Card, ...], source: str) -> None:
        """Bring `stamps`, `issues` and `markers` up to date with `cards`, the top-level cards of `source`."""
        known, fresh = self._checked, {}
        lines: list[str] | None = None
        for top in cards:
            checked = known.get(top.id)
            if checked is None or checked.card is not top:
                if lines is None:
                    lines = source.splitlines()
                checked = self._check(top, lines, checked)
            fresh[top.id] = checked
        self._checked = fresh
        self.stamps, self.issues, self.markers = {}, [], []
        for checked in fresh.values():
            self.stamps.update(checked.stamps)
            for found in checked.issues.values():
                self.issues.extend(found)
            self.markers.extend(checked.markers)

    def _check(self, top: Card, lines: list[str], before: _Checked | None) -> _Checked:
        stamps: dict[str, tuple] = {}
        issues: dict[str, list[Issue]] = {}
        markers = []
        for card in top.walk():
            stamp = (card.kind, card.comments, "\n".join(lines[card.line_span[0] - 1:card.line_span[1]]))
            if before is not None and before.stamps.get(card.id) == stamp:
                found = before.issues[card.id]
            else:
                found = validate_card(card, self.signatures)
            stamps[card.id], issues[card.id] = stamp, found
            markers += [Marker(card.line_span[0], issue.message, "warning") for issue in found]
        return _Checked(top, stamps, issues, markers)
