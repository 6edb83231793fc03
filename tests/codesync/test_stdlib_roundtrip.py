"""Every function of every standard-library module loads into cards without changing a byte, and
its cards line up with CPython's statements (count, nesting and line spans)."""
import os
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from _codesync_stdlib import check_files, stdlib_files


@pytest.mark.slow  # about a minute on two cores
@pytest.mark.timeout(900)
def test_every_stdlib_function_round_trips(record_property):
    files = sorted((str(p) for p in stdlib_files()), key=os.path.getsize, reverse=True)
    workers = max(1, min(os.cpu_count() or 1, 4))
    chunks = [files[i::workers] for i in range(workers)]
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(check_files, chunks))
    elapsed = time.perf_counter() - started
    functions = sum(r[0] for r in results)
    cards = sum(r[1] for r in results)
    problems = [p for r in results for p in r[2]]
    record_property("stdlib_functions", functions)
    print(f"\nstdlib round trip: {functions} functions, {cards} cards, {len(files)} modules, "
          f"{elapsed:.1f} s on {workers} processes")
    assert not problems, "\n".join(problems[:20])
    assert functions > 10000
