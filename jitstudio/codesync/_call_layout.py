"""Writing a call's argument list again after arguments were added, removed or reordered.

In a call split over lines, the comments around an argument live in the commas next to it: the
comment at the end of an argument's line sits in that argument's comma, and comment lines above
an argument sit in the previous comma (or after the opening bracket). Each argument keeps its own
comments wherever it goes, and each comma keeps the line layout of its place: between arguments, or
before the closing bracket."""
from __future__ import annotations

from typing import Sequence

import libcst as cst

# An argument of the new list and the position it had in the old one (None for a new argument).
Entry = tuple[int | None, cst.Arg]

_NO_SPACE = cst.SimpleWhitespace("")
_PLAIN_SEPARATOR = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def relayout(call: cst.Call, entries: Sequence[Entry]) -> cst.Call:
    old = list(call.args)
    trailing = old[-1].comma if old and isinstance(old[-1].comma, cst.Comma) else None
    separator = next((a.comma for a in reversed(old[:-1]) if isinstance(a.comma, cst.Comma)), _PLAIN_SEPARATOR)
    leads = [_lines_above(call, old, i) for i in range(len(old))]
    fixed = []
    for position, (origin, arg) in enumerate(entries):
        last = position == len(entries) - 1
        was_last = origin is not None and origin == len(old) - 1
        own = arg.comma if origin is not None and isinstance(arg.comma, cst.Comma) else None
        tail = _end_of_line(own)
        if last:
            comma = own if trailing is None and tail is not None else (
                cst.MaybeSentinel.DEFAULT if trailing is None else _comma(trailing, tail, _lines(trailing)))
        else:
            layout = own if own is not None and not was_last else separator
            following = entries[position + 1][0]
            comma = _comma(layout, tail, leads[following] if following is not None else ())
            if comma is layout and tail is not None and own is not None:
                comma = own
        if old and last:
            arg = arg.with_changes(whitespace_after_arg=old[-1].whitespace_after_arg)
        elif was_last:
            arg = arg.with_changes(whitespace_after_arg=_NO_SPACE)
        fixed.append(arg.with_changes(comma=comma))
    first_lead = leads[entries[0][0]] if entries and entries[0][0] is not None else ()
    return call.with_changes(args=fixed, whitespace_before_args=_with_lines(call.whitespace_before_args, first_lead))


def _lines_above(call: cst.Call, old: list[cst.Arg], index: int) -> tuple[cst.EmptyLine, ...]:
    comma = old[index - 1].comma if index else None
    before = call.whitespace_before_args if index == 0 else (
        comma.whitespace_after if isinstance(comma, cst.Comma) else None)
    return tuple(before.empty_lines) if isinstance(before, cst.ParenthesizedWhitespace) else ()


def _lines(comma: cst.Comma) -> tuple[cst.EmptyLine, ...]:
    after = comma.whitespace_after
    return tuple(after.empty_lines) if isinstance(after, cst.ParenthesizedWhitespace) else ()


def _end_of_line(comma: cst.Comma | None) -> cst.TrailingWhitespace | None:
    if comma is not None and isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace):
        first = comma.whitespace_after.first_line
        return first if first.comment is not None else None
    return None


def _comma(layout: cst.Comma, tail: cst.TrailingWhitespace | None,
           lines_above_next: tuple[cst.EmptyLine, ...]) -> cst.Comma:
    """A comma placed like ``layout``, carrying the end-of-line comment of the argument before it
    and the comment lines of the argument after it."""
    after = layout.whitespace_after
    if not isinstance(after, cst.ParenthesizedWhitespace):
        return layout
    first = after.first_line.with_changes(whitespace=_NO_SPACE, comment=None) if tail is None else \
        after.first_line.with_changes(whitespace=tail.whitespace, comment=tail.comment)
    return layout.with_changes(whitespace_after=after.with_changes(first_line=first, empty_lines=lines_above_next))


def _with_lines(space: cst.BaseParenthesizableWhitespace, lines: tuple[cst.EmptyLine, ...]
                ) -> cst.BaseParenthesizableWhitespace:
    if isinstance(space, cst.ParenthesizedWhitespace):
        return space.with_changes(empty_lines=lines)
    return space
