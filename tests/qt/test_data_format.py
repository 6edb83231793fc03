"""How the Data tab shows and reads values by datatype."""
from __future__ import annotations

import pytest

from jitstudio.qt.data._format import display, editor_kind, parse_edit

MONEY = {"name": "amount", "datatype": "Money", "decimal": 2, "unit": "USD"}
STATUS = {"name": "status", "datatype": "Dropdown", "options": [{"label": "Paid", "value": "paid"}]}


@pytest.mark.parametrize(("field", "value", "shown"), [
    (MONEY, 1234.5, "1,234.50 USD"),
    ({"datatype": "Numeric", "decimal": 0}, 42, "42"),
    ({"datatype": "Numeric"}, 1234.125, "1,234.125"),
    ({"datatype": "Percent"}, 0.255, "25.50 %"),
    (STATUS, "paid", "Paid"),
    (STATUS, "gone", "gone"),
    ({"datatype": "MultiDropdown", "options": STATUS["options"]}, ["paid", "x"], "Paid, x"),
    ({"datatype": "Checkbox"}, True, "yes"),
    ({"datatype": "Datetime"}, "2026-12-06T18:54:44.123456", "2026-12-06 18:54:44"),
    ({"datatype": "Address"}, {"city": "Lyon"}, '{"city": "Lyon"}'),
    ({"datatype": "Ltext"}, "two\nlines", "two ⏎ lines"),
    ({"datatype": "Stext"}, None, ""),
])
def test_values_are_shown_by_datatype(field, value, shown):
    assert display(field, value) == shown


def test_typed_text_is_read_by_datatype_and_the_session_judges_the_rest():
    assert parse_edit({"datatype": "Numeric", "decimal": 0}, "1,200") == 1200
    assert parse_edit(MONEY, "12.5") == 12.5
    assert parse_edit(MONEY, "lots") == "lots"  # refused by the session with the field's own message
    assert parse_edit(MONEY, " ") is None
    assert parse_edit({"datatype": "Address"}, '{"city": "Lyon"}') == {"city": "Lyon"}
    with pytest.raises(ValueError):
        parse_edit({"datatype": "Address"}, "{city")
    assert parse_edit({"datatype": "Stext"}, " keep spaces ") == " keep spaces "


def test_read_only_fields_and_the_primary_key_get_no_editor():
    assert editor_kind({"datatype": "AutoInt", "primaryKey": True, "readOnly": True}) == "readonly"
    assert editor_kind({"datatype": "Datetime", "readOnly": True}) == "readonly"
    assert editor_kind({"datatype": "Datetime"}) == "datetime"
    assert editor_kind(STATUS) == "option" and editor_kind({"datatype": "Dropdown"}) == "text"
