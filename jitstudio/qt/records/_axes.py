"""The chart's axes: whole-number ticks for counts, and distinct time labels on a few of the buckets."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from ...runtime.records import Bucket

DAY_S = 86_400


@dataclass(frozen=True)
class CountAxis:
    """An axis of counts from 0 to `top` with a tick every `step` (both whole numbers)."""

    top: int
    step: int

    @property
    def ticks(self) -> list[int]:
        return list(range(0, self.top + 1, self.step))


def count_axis(peak: int, max_steps: int = 4) -> CountAxis:
    """Ticks for counts up to `peak`: a step of 1, 2 or 5 times a power of ten, at most `max_steps` of them,
    up to the first multiple of the step at or above the peak."""
    peak = max(int(peak), 1)
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            steps = -(-peak // step)
            if steps <= max_steps:
                return CountAxis(step * steps, step)
        magnitude *= 10


def _ms(moment: datetime) -> str:
    return moment.strftime("%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def _formats(spacing_s: float, days: bool, years: bool) -> list[Callable[[datetime], str]]:
    """Ways to write a bucket's start, from the coarsest that the spacing between labels allows to the finest."""
    day = "%Y-%m-%d" if years else "%b %d"
    prefix = day + " " if days else ""
    finest: list[Callable[[datetime], str]] = [
        lambda m: m.strftime(day),
        lambda m: m.strftime(prefix + "%H:%M"),
        lambda m: m.strftime(prefix + "%H:%M:%S"),
        lambda m: (m.strftime(prefix) if days else "") + _ms(m),
        lambda m: m.strftime(prefix + "%H:%M:%S.%f"),
    ]
    level = next(n for n, limit in enumerate((DAY_S, 60, 1, 0.001, 0)) if spacing_s >= limit)
    return finest[level:]


def time_labels(buckets: list[Bucket], max_labels: int) -> dict[int, str]:
    """Labels for every few buckets (bucket index → its start time, local), at most `max_labels`, all
    distinct, written only as precisely as the spacing between them needs, with the date when the buckets
    span more than one day."""
    if not buckets:
        return {}
    every = max(1, -(-len(buckets) // max(1, max_labels)))
    shown = list(range(every // 2, len(buckets), every))  # each in the middle of its run: none at the plot's edge
    starts = [datetime.fromtimestamp(buckets[i].start_us / 1e6) for i in shown]
    first = starts[0]
    last = datetime.fromtimestamp((buckets[-1].end_us - 1) / 1e6)
    spacing_s = (buckets[0].end_us - buckets[0].start_us) * every / 1e6
    labels: list[str] = []
    for fmt in _formats(spacing_s, days=first.date() != last.date(), years=first.year != last.year):
        labels = [fmt(moment) for moment in starts]
        if len(set(labels)) == len(labels):
            break
    return dict(zip(shown, labels))
