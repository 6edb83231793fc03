"""Property tests: loading never changes a byte; writing every field back unchanged is a no-op;
any sequence of edits leaves the cards equal to a fresh parse of the edited text."""
import keyword
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jitstudio.codesync import CardKind, FIELD_NAMES, FunctionDocument

names = st.text(string.ascii_lowercase, min_size=1, max_size=6).filter(
    lambda s: not keyword.iskeyword(s) and not keyword.issoftkeyword(s))
atoms = st.one_of(names, st.integers(-5, 500).map(str), st.sampled_from(["'s'", '"t"', "None", "[1, 2]", "{'k': v}"]))
exprs = st.recursive(atoms, lambda inner: st.one_of(
    st.tuples(inner, st.sampled_from([" + ", " * ", " > ", " and "]), inner).map("".join),
    st.tuples(names, inner).map(lambda t: f"{t[0]}({t[1]})"),
    inner.map(lambda e: f"({e})")), max_leaves=4)
comments = st.sampled_from(["", "# note\n", "\n", "    # two\n\n"])


def _simple(draw) -> str:
    kind = draw(st.integers(0, 9))
    e = draw(exprs)
    n = draw(names)
    return [
        f"{n} = {e}",
        f"{n} = app.getElement(\"services.Svc\").fn(a={e}, b=1)",
        f"app.services.Svc.run({e})",
        f"{n} = app.models.Order.query(filter={e}, page=1)",
        f"app.message.send(title={e}, content='c', receivers=[u])",
        f"app.event.publish(sender='services.Svc.ev', args=({e},))",
        f"log.info('v %s', {e})",
        f"return {e}",
        f"raise ValueError({e})",
        f"{n} += {e}",
    ][kind]


def _joinable(statement: str) -> str:
    """A statement that may follow another on its line: `return`/`raise` become assignments (names such as
    `raisea` stay as they are)."""
    for keyword_, target in (("return ", "x = "), ("raise ", "y = ")):
        if statement.startswith(keyword_):
            return target + statement[len(keyword_):]
    return statement


@st.composite
def bodies(draw, depth=0, indent="    "):
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        lead = "".join(indent + c.strip() + "\n" if c.strip() else "\n" for c in [draw(comments)] if c)
        shape = draw(st.integers(0, 6 if depth < 2 else 3))
        if shape <= 3:
            stmt = _simple(draw)
            if shape == 3:
                stmt += "; " + _joinable(_simple(draw))
            lines.append(lead + indent + stmt + draw(st.sampled_from(["", "  # tail"])) + "\n")
        elif shape == 4:
            text = f"{indent}if {draw(exprs)}:\n" + draw(bodies(depth + 1, indent + "    "))
            for _ in range(draw(st.integers(0, 2))):
                text += f"{indent}elif {draw(exprs)}:\n" + draw(bodies(depth + 1, indent + "    "))
            if draw(st.booleans()):
                text += f"{indent}else:\n" + draw(bodies(depth + 1, indent + "    "))
            lines.append(lead + text)
        elif shape == 5:
            lines.append(lead + f"{indent}for {draw(names)} in {draw(exprs)}:\n" + draw(bodies(depth + 1, indent + "    ")))
        else:
            lines.append(lead + f"{indent}while {draw(exprs)}:\n" + draw(bodies(depth + 1, indent + "    ")))
    return "".join(lines)


modules = bodies().map(lambda body: "import x\n\n\ndef customFunc(eventOutData):\n" + body + "\n# end\n")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _shape(doc):
    return [(c.kind, c.line_span, {k: dict(v) if hasattr(v, "items") else v for k, v in c.fields.items()})
            for c in doc.walk()]


@SETTINGS
@given(modules)
def test_load_then_source_is_byte_identical(src):
    doc = FunctionDocument.from_source(src)
    assert doc.source == src
    assert sum(1 for _ in doc.walk()) >= 1


@SETTINGS
@given(modules)
def test_setting_every_field_to_its_value_keeps_the_source(src):
    doc = FunctionDocument.from_source(src)
    for card in list(doc.walk()):
        for name in FIELD_NAMES[card.kind]:
            if (card.kind, name) in {(CardKind.PUBLISH, "via"), (CardKind.BRANCH, "keyword")}:
                continue
            if card.kind is CardKind.BRANCH and card.fields["keyword"] == "else":
                continue
            value = card.fields[name]
            doc.set_field(card.id, name, dict(value) if hasattr(value, "items") else value)
            assert doc.source == src, (card, name)


@SETTINGS
@given(modules, st.data())
def test_random_edits_match_a_fresh_parse(src, data):
    doc = FunctionDocument.from_source(src)
    for _ in range(data.draw(st.integers(1, 5))):
        cards = [c for c in doc.walk()]
        card = data.draw(st.sampled_from(cards))
        containers = [None] + [c.id for c in cards if c.kind in (CardKind.BRANCH, CardKind.FOR_EACH)]
        action = data.draw(st.sampled_from(["set", "insert", "move", "delete"]))
        if action == "set" and card.kind is CardKind.ASSIGN:
            doc.set_field(card.id, "value", data.draw(exprs))
        elif action == "insert":
            doc.insert_card("assign", {"target": data.draw(names), "value": data.draw(exprs)},
                            data.draw(st.sampled_from(containers)), data.draw(st.sampled_from([None, 0, 1])) or None)
        elif action == "move" and card.kind is not CardKind.BRANCH:
            target = data.draw(st.sampled_from(containers))
            if target is not None and any(c.id == target for c in card.walk()):
                continue
            doc.move_card(card.id, target, 0)
        elif action == "delete" and not (card.kind is CardKind.BRANCH and card.fields["keyword"] == "if"):
            doc.delete_card(card.id)
        fresh = FunctionDocument.from_source(doc.source)
        assert _shape(doc) == _shape(fresh)
        assert doc.source.endswith("\n# end\n") and doc.source.startswith("import x\n\n\ndef customFunc(")
