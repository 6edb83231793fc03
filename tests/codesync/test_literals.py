"""Literal values of fields: which expressions are literals, the expression written for a value (quoted so it
reads back the same), the editor a data type asks for, and lists typed on one line."""
import ast
from datetime import date, datetime, time

import pytest

from jitstudio.codesync import (
    Literal, expression_of, list_items, list_text, literal_editor_kind, literal_kind_for, literal_of, number_of,
)

TRICKY_TEXT = [
    "", "Order shipped", 'say "hi"', "it's", "both ' and \"", "back\\slash", "C:\\new\\table", "line\nbreak",
    "tab\there", "cr\r", "naïve café ✓ 订单", "zero\u200bwidth", "nul\x00", "emoji 🎉", "\\n is not a newline",
    "'", '"', "\\", "ends with backslash\\",
]


@pytest.mark.parametrize("text", TRICKY_TEXT)
@pytest.mark.parametrize("quote_from", [None, '"old"', "'old'"])
def test_text_round_trips_through_its_expression(text, quote_from):
    expression = expression_of("text", text, previous=quote_from)
    assert ast.literal_eval(expression) == text
    assert literal_of(expression) == Literal("text", text)
    assert "\n" not in expression  # one line, whatever the text holds


def test_quotes_follow_the_previous_expression():
    assert expression_of("text", "Order shipped") == '"Order shipped"'
    assert expression_of("text", "Order shipped", previous="'Order paid'") == "'Order shipped'"
    assert expression_of("text", "it's", previous="'x'") == "'it\\'s'"
    assert expression_of("text", 'say "hi"') == '"say \\"hi\\""'
    assert expression_of("text", "new", previous='r"C:\\old"') == '"new"'
    assert expression_of("list", ["a", "b"], previous="['x']") == "['a', 'b']"
    assert expression_of("list", ["a"], previous="('x', 'y')") == "('a',)"


@pytest.mark.parametrize("kind, value, expression", [
    ("number", 12, "12"), ("number", 12.5, "12.5"), ("number", -3, "-3"), ("number", -0.25, "-0.25"),
    ("number", 10 ** 30, str(10 ** 30)), ("number", 1e-7, "1e-07"), ("boolean", True, "True"),
    ("boolean", False, "False"), ("none", None, "None"), ("list", [], "[]"), ("list", (), "()"),
    ("list", ["sales", 3, 2.5, True, None, -1], '["sales", 3, 2.5, True, None, -1]'), ("list", (1, 2), "(1, 2)"),
])
def test_values_round_trip(kind, value, expression):
    assert expression_of(kind, value) == expression
    assert literal_of(expression) == Literal(kind, value)
    assert type(literal_of(expression).value) is type(value)


@pytest.mark.parametrize("data_type, kind, value, expression", [
    ("Date", "date", date(2024, 5, 1), '"2024-05-01"'),
    ("Datetime", "datetime", datetime(2024, 5, 1, 9, 30), '"2024-05-01 09:30:00"'),
    ("Datetime", "datetime", datetime(2024, 5, 1, 9, 30, 5, 250), '"2024-05-01 09:30:05.000250"'),
    ("Time", "time", time(18, 5), '"18:05:00"'),
])
def test_dates_round_trip_when_the_data_type_asks_for_them(data_type, kind, value, expression):
    assert expression_of(kind, value) == expression
    assert literal_of(expression, data_type) == Literal(kind, value)
    assert literal_of(expression) == Literal("text", ast.literal_eval(expression))  # no type: plain text


def test_dates_are_read_only_in_iso_form():
    assert literal_of('"2024-05-01"', "Date") == Literal("date", date(2024, 5, 1))
    assert literal_of('"2024-05-01"', "Datetime") == Literal("datetime", datetime(2024, 5, 1))
    assert literal_of('"2024-05-01T08:00"', "Datetime") == Literal("datetime", datetime(2024, 5, 1, 8))
    for text in ('"20240501"', '"2024-13-01"', '"1 May 2024"', '"2024-05-01 08:00"', '" 2024-05-01"'):
        assert literal_of(text, "Date").kind == "text"
    assert literal_of('"2024-05-01"', "Stext") == Literal("text", "2024-05-01")


@pytest.mark.parametrize("expression", [
    "x", "eventOutData.x", 'post.get("amount")', 'f"Order {orderNo}"', 'b"raw"', '"a" "b"', '["a" "b", "c"]',
    '"a" + "b"', "{}", '{"a": 1}', "[[1]]", "[x]", "1j", "...", "1e400", "-True", "not True", "(1)(2)",
    "", "   ", "[1,", "lambda: 1", "{1, 2}", "2 - 1",
])
def test_non_literals_are_refused(expression):
    assert literal_of(expression) is None


def test_literal_forms_python_allows_are_read():
    assert literal_of('  "padded"  ') == Literal("text", "padded")
    assert literal_of("'''three\nlines'''") == Literal("text", "three\nlines")
    assert literal_of('r"C:\\temp"') == Literal("text", "C:\\temp")
    assert literal_of('u"old style"') == Literal("text", "old style")
    assert literal_of("1_000") == Literal("number", 1000)
    assert literal_of('[\n    "a",\n    "b",\n]') == Literal("list", ["a", "b"])


def test_values_without_a_literal_are_refused():
    for value in (float("nan"), float("inf"), [[1]], {"a": 1}):
        with pytest.raises(ValueError):
            expression_of(None, value)


def test_the_data_type_decides_the_kind_and_integers():
    assert expression_of(None, "x", "Stext") == '"x"'
    assert expression_of(None, 3.0, "Integer") == "3"
    assert expression_of("number", 3.0, "Numeric") == "3.0"
    assert expression_of(None, date(2024, 1, 2), "Date") == '"2024-01-02"'


@pytest.mark.parametrize("data_type, kind", [
    ("Stext", "text"), ("Ltext", "text"), ("Phone", "text"), ("Dropdown", "text"), ("Numeric", "number"),
    ("Money", "number"), ("Percent", "number"), ("Integer", "integer"), ("AutoInt", "integer"), ("Date", "date"),
    ("Datetime", "datetime"), ("Time", "time"), ("Bool", "boolean"), ("JitBool", "boolean"), ("JitList", "list"),
    ("MultiDropdown", "list"), ("MultiMember", "list"), ("JitDict", None), ("RowData", None), ("RowList", None),
    ("File", None), ("QFilter", None), ("", None), (None, None), ("SomethingNew", None),
])
def test_literal_kind_for_data_types(data_type, kind):
    assert literal_kind_for(data_type) == kind


@pytest.mark.parametrize("expression, data_type, kind", [
    (None, "Stext", "text"), ("", "Numeric", "number"), (None, "", None), ('"x"', "Stext", "text"),
    ('"x"', "", "text"), ("42", "Stext", None), ("42", "Integer", "integer"), ("4.5", "Integer", None),
    ('"2024-05-01"', "Date", "date"), ('"soon"', "Date", None), ('["a"]', "JitList", "list"),
    ('"x"', "JitDict", None), ("None", "Stext", None), ("None", "", None), ("x", "Stext", None),
    ("True", "", "boolean"), ('"x"', "SomethingNew", "text"),
])
def test_literal_editor_kind(expression, data_type, kind):
    assert literal_editor_kind(expression, data_type) == kind


@pytest.mark.parametrize("values, line", [
    (["sales", "finance"], "sales, finance"), ([], ""), ([1, 2.5, True, None], "1, 2.5, True, None"),
    (["a, b", "it's", "1", "True", " padded", ""], '"a, b", "it\'s", "1", "True", " padded", ""'),
])
def test_lists_on_one_line_round_trip(values, line):
    assert list_text(values) == line
    assert list_items(line) == values


def test_list_lines_typed_by_a_user():
    assert list_items("sales,finance ,, ") == ["sales", "finance"]
    assert list_items('"a, b", \'c\', 3') == ["a, b", "c", 3]
    assert list_items('"unclosed, still text') == ['"unclosed, still text']
    assert list_items('say "hi", x') == ['say "hi"', "x"]


@pytest.mark.parametrize("text, number", [
    ("12", 12), ("-3", -3), ("12.5", 12.5), (" 7 ", 7), ("1e3", 1000.0), ("abc", None), ("", None), ("nan", None),
    ("inf", None), ("1,5", None),
])
def test_number_of(text, number):
    assert number_of(text) == number and type(number_of(text)) is type(number)
