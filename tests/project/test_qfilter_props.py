"""Property tests for the Q filter language: round trips, robustness against any text, evaluation."""
import string
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jitstudio.project.qfilter import (
    OPERATORS,
    Condition,
    Group,
    QSyntaxError,
    Q_and,
    Q_not,
    Q_or,
    check,
    evaluate,
    parse,
    to_text,
)

PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_segment = st.tuples(
    st.sampled_from(string.ascii_letters + "_"), st.text(string.ascii_letters + string.digits + "_", max_size=6)
).map("".join) | st.sampled_from(["名称", "état", "x1"])
fields = st.lists(_segment, min_size=1, max_size=3).map("__".join).filter(
    lambda name: name.isidentifier() and all(name.split("__"))
)
ops = st.sampled_from([info.op for info in OPERATORS])
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4).map(tuple), max_leaves=8)
conditions = st.builds(Condition, fields, ops, values)
trees = st.recursive(
    conditions,
    lambda children: st.one_of(
        st.lists(children, min_size=2, max_size=4).map(lambda nodes: Q_and(*nodes)),
        st.lists(children, min_size=2, max_size=4).map(lambda nodes: Q_or(*nodes)),
        children.map(Q_not),
        st.just(Group()),
    ),
    max_leaves=12,
)

row_values = st.recursive(
    scalars
    | st.dates()
    | st.datetimes()
    | st.dates().map(date.isoformat)
    | st.fixed_dictionaries({"province": st.text(max_size=5), "city": st.text(max_size=5)}),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_segment, inner, max_size=3),
    max_leaves=6,
)
rows = st.dictionaries(_segment, row_values, max_size=6)

_NEGATIONS = {"=": "!=", "in": "nin", "like": "nlike", "likeany": "nlikeany", "belong": "nbelong"}


@PROPS
@given(trees)
def test_round_trip(tree):
    text = to_text(tree)
    again = parse(text)
    assert again == tree
    assert to_text(again) == text


@PROPS
@given(trees, rows)
def test_evaluate_never_raises_and_negation_flips(tree, row):
    result = evaluate(tree, row)
    assert isinstance(result, bool)
    assert evaluate(Q_not(tree), row) is (not result)
    assert evaluate(to_text(tree), row) is result


@PROPS
@given(st.sampled_from(sorted(_NEGATIONS.items())), fields, values, rows)
def test_negative_operators_are_exact_complements(pair, field, value, row):
    positive, negative = pair
    assert evaluate(Condition(field, negative, value), row) is not evaluate(Condition(field, positive, value), row)


def _survives(text: str):
    """Parsing either fails with QSyntaxError or gives a tree that prints, re-parses and evaluates."""
    try:
        tree = parse(text)
    except QSyntaxError as err:
        assert err.message and 0 <= err.offset <= len(text)
        assert err.line >= 1 and err.col >= 1
        return
    printed = to_text(tree)
    assert parse(printed) == tree
    assert to_text(parse(printed)) == printed
    evaluate(tree, {"a": 1, "b": "x"})
    check(tree, {"a"})


_syntax_alphabet = st.sampled_from(list("Q()[],='\"~&|.-+_ \n\\019eE") + ["Q.AND", "Q.OR", "a", "__in", "True", "None"])


@PROPS
@given(st.text())
def test_any_text_only_raises_syntax_errors(text):
    _survives(text)


@PROPS
@given(st.lists(_syntax_alphabet, max_size=40).map("".join))
def test_syntax_soup_only_raises_syntax_errors(text):
    _survives(text)


_edits = st.tuples(
    st.sampled_from(["delete", "insert", "duplicate", "swap"]),
    st.integers(min_value=0),
    st.integers(min_value=0, max_value=6),
    st.sampled_from(list(string.printable) + ["Q(", ")", "Q.OR", "__", "'", "é"]),
)


def _mutate(text: str, edits) -> str:
    for kind, where, size, piece in edits:
        at = where % (len(text) + 1)
        if kind == "delete":
            text = text[:at] + text[at + size :]
        elif kind == "insert":
            text = text[:at] + piece + text[at:]
        elif kind == "duplicate":
            text = text[:at] + text[at : at + size] + text[at:]
        elif text[at : at + 2]:
            text = text[:at] + text[at : at + 2][::-1] + text[at + 2 :]
    return text


@PROPS
@given(trees, st.lists(_edits, min_size=1, max_size=4))
def test_mutated_filters_only_raise_syntax_errors(tree, edits):
    _survives(_mutate(to_text(tree), edits))


@PROPS
@given(
    st.lists(
        st.sampled_from(["Q(a=1)", "Q(b__in=[1, 'x'])", "~", "(", ")", " & ", " | ", "Q(", ", Q.AND, "]),
        max_size=12,
    )
)
def test_django_soup_only_raises_syntax_errors(pieces):
    _survives("".join(pieces))
