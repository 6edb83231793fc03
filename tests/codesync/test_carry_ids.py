"""Card ids across update_source: a card keeps its id when its text stays, or when it is edited in place."""
import random

from jitstudio.codesync import FunctionDocument

HEADER = "import x\n\n\ndef customFunc(eventOutData):\n"


def module(*body: str) -> str:
    return HEADER + "".join(f"    {line}\n" for line in body)


def ids_by_text(doc: FunctionDocument) -> dict[tuple[str, str], str]:
    """Card id by kind and first line (an if and its first branch share it); each text must be unique."""
    lines = doc.source.splitlines()
    found = {(card.kind.value, lines[card.line_span[0] - 1].strip()): card.id for card in doc.walk()}
    assert sorted(found.values()) == sorted(ids(doc))
    return found


def ids(doc: FunctionDocument) -> list[str]:
    found = [card.id for card in doc.walk()]
    assert len(found) == len(set(found))
    return found


def steps(n: int) -> list[str]:
    return [f"step{i} = eventOutData.value['n'] + {i}" for i in range(n)]


def test_an_edit_inside_one_statement_keeps_every_id():
    doc = FunctionDocument.from_source(module(*steps(10)))
    before = ids(doc)
    assert doc.update_source(doc.source.replace("+ 4", "+ 44"))
    assert ids(doc) == before
    assert doc.cards[4].fields["value"] == "eventOutData.value['n'] + 44"


def test_an_edit_inside_an_if_keeps_the_if_its_branches_and_its_body():
    doc = FunctionDocument.from_source(module("a = 1", "if a > 1:", "    b = 2", "else:", "    b = 3", "c = 4"))
    before = ids(doc)
    assert doc.update_source(doc.source.replace("a > 1", "a > 10").replace("b = 3", "b = 30"))
    assert ids(doc) == before


def test_lines_inserted_at_the_top_keep_the_ids_below():
    doc = FunctionDocument.from_source(module(*steps(10)))
    before = ids_by_text(doc)
    assert doc.update_source(module("first = 1", "# a comment", "second = 2", *steps(10)))
    after = ids_by_text(doc)
    assert {key: after[key] for key in before} == before
    assert len(set(after.values()) - set(before.values())) == 2


def test_deleting_a_statement_in_the_middle_keeps_the_others():
    lines = steps(10)
    doc = FunctionDocument.from_source(module(*lines))
    before = ids_by_text(doc)
    assert doc.update_source(module(*lines[:5], *lines[6:]))
    after = ids_by_text(doc)
    del before[("assign", lines[5])]
    assert after == before


def test_one_more_among_identical_statements_keeps_every_old_id():
    body = ["total = 0", *["total += 1"] * 8, "pass", "pass", "return total"]
    doc = FunctionDocument.from_source(module(*body))
    before = ids(doc)
    assert doc.update_source(module(*body[:5], "total += 1", *body[5:]))
    after = ids(doc)
    assert len(after) == len(before) + 1
    assert set(before) < set(after)
    assert after[0] == before[0] and after[-3:] == before[-3:]


def test_moved_text_keeps_its_ids_and_so_do_the_cards_around_it():
    lines = steps(10)
    doc = FunctionDocument.from_source(module(*lines, "if step1:", "    log = 1"))
    before = ids_by_text(doc)
    moved = lines[2:5]
    assert doc.update_source(module("if step1:", "    log = 1", *lines[:2], *lines[5:8], *moved, *lines[8:]))
    assert ids_by_text(doc) == before


def test_ids_are_never_shown_twice_and_keep_their_kind_across_shuffles():
    units = [["x += 1"], ["pass"], ["if x:", "    x += 1", "    pass"], ["for r in x:", "    pass"], ["y = x"]]
    shuffle = random.Random(7)
    doc = FunctionDocument.from_source(module("pass"))
    kinds = {}
    for _ in range(40):
        chosen = [shuffle.choice(units) for _ in range(shuffle.randint(1, 120))]
        assert doc.update_source(module(*(line for unit in chosen for line in unit)))
        ids(doc)
        for card in doc.walk():
            assert kinds.setdefault(card.id, card.kind) is card.kind


def test_edits_in_a_5000_statement_function_keep_every_other_id():
    body = [f"v{i} = eventOutData.value['amount'] * {i}" if i % 4 else "pass" for i in range(4975)]
    body[1000:1000] = ["if v1 > 1:", "    y = 1", "else:", "    y = 0"] * 5
    doc = FunctionDocument.from_source(module(*body))
    before = ids(doc)
    assert len(before) == 5000

    middle = body.index("v2501 = eventOutData.value['amount'] * 2501")
    body[middle] = "v2501 = eventOutData.value['amounts'] * 2501"
    assert doc.update_source(module(*body))
    assert ids(doc) == before

    body[10] = "v10 = 0"
    body.insert(middle, "pass")
    del body[-10]
    assert doc.update_source(module(*body))
    after = ids(doc)
    assert len(after) == 5000
    assert set(before) - set(after) == {before[-10]} and len(set(after) - set(before)) == 1
