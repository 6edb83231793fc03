"""JSON documents with spans, minimal edits, text files and problems: the pieces under loading and saving."""
import json
import pytest

from jitstudio.project import JsonDocument, JsonSyntaxError, Problem, TextFile

EVENT = '{\n  "title": "Audit",\n  "fields": ["status", "amount"],\n  "filter": "Q(a=1)"\n}\n'


def test_members_are_located_by_json_pointer():
    doc = JsonDocument.parse(EVENT)

    assert doc.locate("/title") == (2, 12)
    assert doc.locate("/title", prefer_key=True) == (2, 3)
    assert doc.locate("/fields/1") == (3, 24)
    assert doc.locate("/fields/7") == (3, 3)  # a missing member points at its nearest parent's key
    assert doc.locate("/nowhere") == (1, 1)


def test_a_character_inside_a_string_is_located_counting_escapes_as_written():
    doc = JsonDocument.parse('{"filter": "Q(note=\\"caf\\u00e9\\ud83d\\ude00\\") & Q(x=1)"}')
    value = doc.get("/filter")

    assert value.index("&") == 16
    assert doc.locate_in_string("/filter", 0) == (1, 13)
    assert doc.locate_in_string("/filter", value.index("é")) == (1, 25)
    assert doc.locate_in_string("/filter", value.index("&")) == (1, 47)


@pytest.mark.parametrize("text", ['{"a": NaN}', '{"a": [Infinity]}', '{"a": -Infinity}'])
def test_non_json_numbers_are_syntax_errors(text):
    with pytest.raises(JsonSyntaxError) as caught:
        JsonDocument.parse(text)

    assert (caught.value.line, caught.value.col) == (1, text.index(":") + 3 + text.count("["))
    assert "is not a JSON value; use a number or null" in caught.value.message


def test_set_replaces_only_the_value_text():
    doc = JsonDocument.parse(EVENT)

    edited = doc.set("/fields/1", "paidAt").set("/title", "Audit — 审计")

    assert edited.text == EVENT.replace('"amount"', '"paidAt"').replace('"Audit"', '"Audit — 审计"')


def test_a_container_set_in_a_one_line_object_stays_on_one_line():
    doc = JsonDocument.parse('{"a": {"b": 1}, "c": 2}')

    assert doc.set("/a/b", {"k": [1, 2]}).text == '{"a": {"b": {"k": [1, 2]}}, "c": 2}'


@pytest.mark.parametrize(("text", "pointer", "expected"), [
    ('{\n  "a": 1,\n  "b": 2\n}\n', "/b", '{\n  "a": 1\n}\n'),
    ('{\n  "a": 1,\n  "b": 2\n}\n', "/a", '{\n  "b": 2\n}\n'),
    ('{"a": 1, "b": 2}', "/a", '{"b": 2}'),
    ('{"a": 1, "b": 2}', "/b", '{"a": 1}'),
    ('{"x": [1, {"k": 2, "j": 3}]}', "/x/1/j", '{"x": [1, {"k": 2}]}'),
])
def test_delete_removes_the_member_and_its_comma(text, pointer, expected):
    assert JsonDocument.parse(text).delete(pointer).text == expected


def test_set_into_a_missing_container_is_refused():
    with pytest.raises(KeyError):
        JsonDocument.parse('{"a": 1}').set("/nodes/start/id", "start")


@pytest.mark.parametrize(("raw", "text", "newline", "bom"), [
    (b'{\r\n  "a": 1\r\n}\r\n', '{\n  "a": 1\n}\n', "\r\n", False),
    (b'\xef\xbb\xbf{"a": "\xc3\xa9"}\n', '{"a": "é"}\n', "\n", True),
    (b'{\n  "a": 1,\r\n  "b": 2\n}', '{\n  "a": 1,\r\n  "b": 2\n}', "\n", False),
    ('{"a": "é"}'.encode("latin-1"), '{"a": "é"}', "\n", False),
])
def test_text_files_write_back_byte_for_byte(tmp_path, raw, text, newline, bom):
    path = tmp_path / "f.json"
    path.write_bytes(raw)

    read = TextFile.read(path)

    assert (read.text, read.newline, read.bom) == (text, newline, bom)
    assert read.encode() == raw


def test_a_problem_is_always_one_line():
    problem = Problem("events/A/e.json", 12, 11, "func '\n\tx': service '' does not exist")

    assert str(problem) == "events/A/e.json:12:11: func '\\n\\tx': service '' does not exist"
    assert problem.to_json()["message"] == "func '\\n\\tx': service '' does not exist"


def test_replacing_plain_values_in_place_matches_a_fresh_parse():
    import random

    text = json.dumps({"nodeList": [{"name": f"n{i}", "title": f"Node {i}", "position": {"x": i * 20, "y": i},
                                     "tags": ["a/b", "c~d"]} for i in range(12)],
                       "one line": {"a": [1, 2.5, {"b": "é\"\\u00e9"}], "z": None}, "flag": True}, indent=2)
    doc = first = JsonDocument.parse(text)
    rnd = random.Random(7)
    plain = [p for p in doc.spans if p and not isinstance(doc.get(p), (dict, list))]
    for _ in range(200):
        chosen = {p: rnd.choice([rnd.randint(-10**6, 10**6), "x" * rnd.randint(0, 12) + "é\"/", None, False, 0.5])
                  for p in rnd.sample(plain, rnd.randint(1, 4))}
        edited = doc.replace_scalars(chosen)
        fresh = JsonDocument.parse(edited.text)
        assert (edited.data, edited.spans) == (fresh.data, fresh.spans)
        doc = edited
    assert first.data == json.loads(text)  # each edit copies what it changes; no earlier document is changed


def test_replacing_a_container_in_place_is_refused():
    doc = JsonDocument.parse('{"a": {"b": 1}, "c": [1]}')
    for pointer, value in (("/a", 1), ("/c/0", [2]), ("/missing", 1)):
        with pytest.raises(KeyError):
            doc.replace_scalars({pointer: value})
