"""Card ids across a re-parse: each new card takes the id of the old card it most plausibly is.

Cards are compared by key: depth, kind and their own source text. The common prefix and suffix
are matched first, then keys found once on each side act as anchors (as in patience diff), and
difflib only sees the small gaps left between anchors, so the work grows linearly with the
number of cards when an edit touches a few of them."""
from __future__ import annotations

import difflib
from bisect import bisect_left
from collections import Counter
from typing import Iterator

from ._tree import Slot

Key = tuple  # (depth, CardKind, the card's own source text)

# A gap goes to difflib when len(old side) * len(new side) is at most this.
DIFFLIB_LIMIT = 10_000


def flatten(root: Slot, text: str) -> list[tuple[Slot, Key]]:
    """Cards in order, keyed by depth, kind and their own source text (headers for containers)."""
    out: list[tuple[Slot, Key]] = []

    def visit(slot: Slot, depth: int) -> None:
        for child in slot.children:
            end = child.children[0].start if child.children else child.end
            out.append((child, (depth, child.kind, text[child.stmt_start:max(end, child.stmt_start)])))
            visit(child, depth + 1)

    visit(root, 0)
    return out


def carry_ids(old_root: Slot, old_text: str, new_root: Slot, new_text: str) -> None:
    """Give re-parsed cards the ids of the cards they most plausibly are."""
    old, new = flatten(old_root, old_text), flatten(new_root, new_text)
    for i, j in match_keys([key for _, key in old], [key for _, key in new]):
        new[j][0].id = old[i][0].id


def match_keys(old: list[Key], new: list[Key]) -> list[tuple[int, int]]:
    """Pairs (old index, new index), each index in at most one pair: equal keys in the same order on
    both sides; cards of the same depth and kind in the same place between those (edited in place);
    then keys left over once on each side (text moved elsewhere)."""
    pairs: list[tuple[int, int]] = []
    ranges = [(0, len(old), 0, len(new))]
    while ranges:
        i1, i2, j1, j2 = ranges.pop()
        while i1 < i2 and j1 < j2 and old[i1] == new[j1]:
            pairs.append((i1, j1))
            i1, j1 = i1 + 1, j1 + 1
        while i1 < i2 and j1 < j2 and old[i2 - 1] == new[j2 - 1]:
            i2, j2 = i2 - 1, j2 - 1
            pairs.append((i2, j2))
        if i1 == i2 or j1 == j2:
            continue
        if (i2 - i1) * (j2 - j1) <= DIFFLIB_LIMIT:
            pairs += _difflib_pairs(old, new, i1, i2, j1, j2)
            continue
        anchors = _unique_anchors(old, new, i1, i2, j1, j2)
        if not anchors:
            pairs += _same_place(old, new, i1, i2, j1, j2)
            continue
        pairs += anchors
        bounds = [(i1 - 1, j1 - 1), *anchors, (i2, j2)]
        ranges += [(a_i + 1, b_i, a_j + 1, b_j) for (a_i, a_j), (b_i, b_j) in zip(bounds, bounds[1:])]
    return pairs + _moved(old, new, pairs)


def _difflib_pairs(old: list[Key], new: list[Key], i1: int, i2: int, j1: int, j2: int
                   ) -> Iterator[tuple[int, int]]:
    matcher = difflib.SequenceMatcher(None, old[i1:i2], new[j1:j2], autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            yield from zip(range(i1 + a1, i1 + a2), range(j1 + b1, j1 + b2))
        elif tag == "replace":
            yield from _same_place(old, new, i1 + a1, i1 + a2, j1 + b1, j1 + b2)


def _same_place(old: list[Key], new: list[Key], i1: int, i2: int, j1: int, j2: int
                ) -> Iterator[tuple[int, int]]:
    """Cards side by side in two replaced runs, when they have the same depth and kind."""
    return ((i, j) for i, j in zip(range(i1, i2), range(j1, j2)) if old[i][:2] == new[j][:2])


def _unique_anchors(old: list[Key], new: list[Key], i1: int, i2: int, j1: int, j2: int
                    ) -> list[tuple[int, int]]:
    """The longest run, in the same order on both sides, of keys found once on each side."""
    old_counts, new_counts = Counter(old[i1:i2]), Counter(new[j1:j2])
    new_index = {new[j]: j for j in range(j1, j2) if new_counts[new[j]] == 1}
    candidates = [(i, new_index[old[i]]) for i in range(i1, i2)
                  if old_counts[old[i]] == 1 and old[i] in new_index]
    return _longest_increasing(candidates)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of ``pairs`` (in increasing old index) whose new indices increase too."""
    tails: list[int] = []  # tails[k]: the smallest new index that ends an increasing run of k + 1 pairs
    tail_pair: list[int] = []  # the index in ``pairs`` of that end
    previous: list[int] = []
    for n, (_, j) in enumerate(pairs):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_pair.append(n)
        else:
            tails[k], tail_pair[k] = j, n
        previous.append(tail_pair[k - 1] if k else -1)
    run = []
    n = tail_pair[-1] if tail_pair else -1
    while n >= 0:
        run.append(pairs[n])
        n = previous[n]
    return run[::-1]


def _moved(old: list[Key], new: list[Key], pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pairs among the cards still unmatched, for keys found once among them on each side."""
    matched_old, matched_new = {i for i, _ in pairs}, {j for _, j in pairs}
    left_old = [i for i in range(len(old)) if i not in matched_old]
    left_new = [j for j in range(len(new)) if j not in matched_new]
    old_counts, new_counts = Counter(old[i] for i in left_old), Counter(new[j] for j in left_new)
    new_index = {new[j]: j for j in left_new if new_counts[new[j]] == 1}
    return [(i, new_index[old[i]]) for i in left_old if old_counts[old[i]] == 1 and old[i] in new_index]
