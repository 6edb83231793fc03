"""Benchmark of jitstudio.codesync on a 1,000-statement function (run by hand: python bench/bench_codesync.py).

Prints, next to ast.parse of the same text measured in the same process, the time to load the
function into cards and the time of one field edit. Then, for 10 to 5,000 statements, a table of
ast.parse, load, update_source after a one-character edit in the middle and one field edit."""
from __future__ import annotations

import ast
import statistics
import time

from jitstudio.codesync import FunctionDocument


def make_source(statements: int = 1000) -> str:
    lines = ["from jit.commons.utils.logger import log", "", "", "def customFunc(eventOutData):"]
    count = 0
    while count < statements:
        i = count
        kind = i % 6
        if kind == 0:
            lines.append(f"    x{i} = eventOutData.postData.value['amount'] * {i}")
        elif kind == 1:
            lines.append(f"    r{i} = app.getElement(\"services.OrderSvc\").check(sku=x{i - 1}, qty={i})")
        elif kind == 2:
            lines.append(f"    app.models.Order.create(rowData={{'n': {i}}})")
        elif kind == 3:
            lines.append(f"    log.info('step %s', x{i - 3})")
        elif kind == 4:
            lines += ["    # branch", f"    if x{i - 4} > {i}:", f"        y = {i}", "    else:", "        y = 0"]
            count += 2
        else:
            lines += [f"    for row in r{i - 4} or []:", "        app.message.send(title='t', content=row)"]
            count += 1
        count += 1
    lines.append("    return x0")
    return "\n".join(lines) + "\n"


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000, statistics.median(times) * 1000


def main() -> None:
    source = make_source()
    parse_ms, parse_med = best(lambda: ast.parse(source), 20)

    def load():
        doc = FunctionDocument.from_source(source)
        for card in doc.walk():
            dict(card.fields)
        return doc

    load_ms, load_med = best(load, 5)
    doc = load()
    cards = sum(1 for _ in doc.walk())
    middle = [c for c in doc.walk() if c.kind.value == "assign"][len(doc.cards) // 12]
    values = iter(f"eventOutData.postData.value['amount'] * {n}" for n in range(10 ** 6))
    edit_ms, edit_med = best(lambda: doc.set_field(middle.id, "value", next(values)), 50)
    view_ms, _ = best(lambda: (doc.set_field(middle.id, "value", next(values)), doc.cards), 20)
    print(f"function: {source.count(chr(10))} lines, {cards} cards")
    print(f"ast.parse                    {parse_ms:8.2f} ms (median {parse_med:.2f})")
    print(f"load into cards (+fields)    {load_ms:8.2f} ms (median {load_med:.2f})  "
          f"= {load_ms / parse_ms:5.1f} x ast.parse")
    print(f"one field edit               {edit_ms:8.2f} ms (median {edit_med:.2f})  "
          f"= {edit_ms / parse_ms:5.2f} x ast.parse")
    print(f"field edit + fresh card list {view_ms:8.2f} ms")
    print()
    print_scaling()


def with_one_character_edit(source: str) -> str:
    """The source with one character inserted in the assignment nearest its middle line."""
    lines = source.split("\n")
    middle = len(lines) // 2
    at = min((i for i, line in enumerate(lines) if "['amount']" in line), key=lambda i: abs(i - middle))
    lines[at] = lines[at].replace("['amount']", "['amounts']")
    return "\n".join(lines)


def measure_scaling(statements: int) -> dict[str, float]:
    """Best times in ms of ast.parse, load, update_source after a one-character edit and one field edit."""
    source = make_source(statements)
    edited = with_one_character_edit(source)
    repeat = max(3, min(50, 5000 // statements))
    parse_ms, _ = best(lambda: ast.parse(source), repeat * 4)
    load_ms, _ = best(lambda: FunctionDocument.from_source(source), repeat)
    doc = FunctionDocument.from_source(source)
    texts = iter([edited, source] * repeat)
    update_ms, _ = best(lambda: doc.update_source(next(texts)), repeat * 2)
    assignments = [c for c in doc.walk() if c.kind.value == "assign"]
    target = assignments[len(assignments) // 2]
    values = iter(f"eventOutData.postData.value['amount'] * {n}" for n in range(10 ** 6))
    edit_ms, _ = best(lambda: doc.set_field(target.id, "value", next(values)), repeat * 2)
    return {"ast.parse": parse_ms, "load": load_ms, "update_source": update_ms, "field edit": edit_ms}


def print_scaling(sizes: tuple[int, ...] = (10, 100, 1000, 5000)) -> None:
    print(f"{'statements':>10}  {'ast.parse':>11}  {'load':>22}  {'update_source (1 char)':>22}  {'field edit':>22}")
    for statements in sizes:
        times = measure_scaling(statements)
        parse_ms = times["ast.parse"]
        load, update, edit = (f"{times[name]:8.2f} ms ({times[name] / parse_ms:6.2f} x)"
                              for name in ("load", "update_source", "field edit"))
        print(f"{statements:10,}  {parse_ms:8.2f} ms  {load}  {update}  {edit}")


if __name__ == "__main__":
    main()
