"""Finding a query in a text the way an editor's find bar does: plain or regular expression, matching case
or not, whole words or not. Spans are in UTF-16 code units, the positions of a QTextDocument."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

MAX_MATCHES = 10_000


@dataclass(frozen=True)
class SearchOptions:
    query: str
    match_case: bool = False
    whole_word: bool = False
    regex: bool = False


@dataclass(frozen=True)
class Match:
    start: int  # UTF-16 positions in the document
    end: int
    found: re.Match


def compile_query(options: SearchOptions) -> re.Pattern:
    """The pattern for `options`; raises re.error for an invalid regular expression."""
    pattern = options.query if options.regex else re.escape(options.query)
    if options.whole_word:
        pattern = rf"(?<!\w)(?:{pattern})(?!\w)"
    return re.compile(pattern, re.MULTILINE | (0 if options.match_case else re.IGNORECASE))


def _utf16_positions(text: str) -> Callable[[int], int]:
    """Maps a str index of `text` to its UTF-16 position (they differ after characters beyond the BMP)."""
    if text.isascii() or all(ord(c) < 0x10000 for c in text):
        return lambda index: index
    offsets = [0] * (len(text) + 1)
    for index, char in enumerate(text):
        offsets[index + 1] = offsets[index] + (2 if ord(char) >= 0x10000 else 1)
    return offsets.__getitem__


def find_all(text: str, options: SearchOptions) -> list[Match]:
    """Every non-empty match of `options` in `text`, in order (at most MAX_MATCHES)."""
    if not options.query:
        return []
    pattern = compile_query(options)
    position = _utf16_positions(text)
    matches = []
    for found in pattern.finditer(text):
        if found.end() > found.start():
            matches.append(Match(position(found.start()), position(found.end()), found))
            if len(matches) >= MAX_MATCHES:
                break
    return matches


def replacement_for(match: Match, replacement: str, options: SearchOptions) -> str:
    """The text that replaces `match`: with groups (\\1, \\g<name>) expanded for a regular expression."""
    return match.found.expand(replacement) if options.regex else replacement
