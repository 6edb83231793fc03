"""Array items and object members of a JsonDocument edited in place: each edit changes only the text it must."""
from __future__ import annotations

import difflib
import json
from typing import Any

from .jsondoc import JsonDocument, indent_unit, line_indent, pointer_of


def _items(doc: JsonDocument, pointer: str) -> list:
    return [doc.spans[f"{pointer}/{i}"].value for i in range(len(doc.get(pointer)))]


ONE_LINE_WIDTH = 100


def dumps_readable(value: Any, indent: str, unit: str) -> str:
    """JSON text of value starting at `indent`: an object or array of plain values on one line when it fits in
    ONE_LINE_WIDTH characters (as JitAI apps write args), anything else spread over lines."""
    flat = json.dumps(value, ensure_ascii=False)
    plain = not isinstance(value, (dict, list)) or all(not isinstance(v, (dict, list)) for v in
                                                        (value.values() if isinstance(value, dict) else value))
    if plain and len(indent) + len(flat) <= ONE_LINE_WIDTH or not value:
        return flat
    inner = indent + unit
    if isinstance(value, dict):
        parts = [f"{json.dumps(k, ensure_ascii=False)}: {dumps_readable(v, inner, unit)}" for k, v in value.items()]
        return "{\n" + ",\n".join(inner + part for part in parts) + "\n" + indent + "}"
    return "[\n" + ",\n".join(inner + dumps_readable(v, inner, unit) for v in value) + "\n" + indent + "]"


def put_readable(doc: JsonDocument, pointer: str, value: Any) -> JsonDocument:
    """`doc.put`, with the value written as `dumps_readable` writes it (small objects such as a position on one
    line) where it lands, as a person writing the file would."""
    doc = doc.put(pointer, None)
    span = doc.spans[pointer].value
    written = dumps_readable(value, line_indent(doc.text, span.start), indent_unit(doc.text))
    return JsonDocument.parse(doc.text[: span.start] + written + doc.text[span.end :])


def append_item(doc: JsonDocument, pointer: str, value: Any) -> JsonDocument:
    """The document with `value` added at the end of the array at `pointer` (created when absent), written like
    the items before it: on one line when the last one is, else spread over lines at its indent."""
    if doc.get(pointer) is None:
        return doc.put(pointer, [value])
    items = _items(doc, pointer)
    text = doc.text
    if not items:
        span = doc.spans[pointer].value
        around = doc.spans.get(pointer.rsplit("/", 1)[0])
        if around is not None and "\n" not in text[around.value.start : around.value.end]:
            return JsonDocument.parse(text[: span.start] + json.dumps([value], ensure_ascii=False) + text[span.end :])
        indent, unit = line_indent(text, span.start), indent_unit(text)
        body = f"[\n{indent}{unit}{dumps_readable(value, indent + unit, unit)}\n{indent}]"
        return JsonDocument.parse(text[: span.start] + body + text[span.end :])
    last = items[-1]
    if len(items) > 1:
        separator = text[text.index(",", items[-2].end) + 1 : last.start]
    else:
        gap = text[doc.spans[pointer].value.start + 1 : last.start]
        separator = gap if "\n" in gap else " "
    if "\n" in text[last.start : last.end]:
        dumped = dumps_readable(value, line_indent(text, last.start), indent_unit(text))
    else:
        dumped = json.dumps(value, ensure_ascii=False)
    return JsonDocument.parse(text[: last.end] + "," + separator + dumped + text[last.end :])


def remove_item(doc: JsonDocument, pointer: str, index: int) -> JsonDocument:
    """The document without item `index` of the array at `pointer`, with the separator that went with it."""
    items = _items(doc, pointer)
    if len(items) == 1:
        return doc.set(pointer, [])
    text = doc.text
    if index < len(items) - 1:
        start, end = items[index].start, items[index + 1].start
    else:
        start, end = items[index - 1].end, items[index].end
    return JsonDocument.parse(text[:start] + text[end:])


def sync_object(doc: JsonDocument, pointer: str, old: dict, new: dict) -> JsonDocument:
    """Set the members of the object at `pointer` that differ between `old` and `new`, and delete those `new` lacks."""
    for key, value in new.items():
        if key not in old or old[key] != value or type(old[key]) is not type(value):
            doc = doc.put(pointer + pointer_of([key]), value)
    for key in old:
        if key not in new:
            doc = doc.delete(pointer + pointer_of([key]))
    return doc


def insert_item(doc: JsonDocument, pointer: str, index: int, value: Any) -> JsonDocument:
    """The document with `value` before item `index` of the array at `pointer` (appended past the end), written
    like the item it goes before."""
    items = _items(doc, pointer) if isinstance(doc.get(pointer), list) else []
    if index >= len(items):
        return append_item(doc, pointer, value)
    text = doc.text
    after = text.index(",", items[index - 1].end) + 1 if index else doc.spans[pointer].value.start + 1
    separator = text[after : items[index].start] or " "
    target = items[index]
    if "\n" in text[target.start : target.end]:
        dumped = dumps_readable(value, line_indent(text, target.start), indent_unit(text))
    else:
        dumped = json.dumps(value, ensure_ascii=False)
    return JsonDocument.parse(text[: target.start] + dumped + "," + separator + text[target.start :])


def _item_key(item: Any) -> str:
    return str(item.get("name")) if isinstance(item, dict) and "name" in item else json.dumps(item, sort_keys=True)


def sync_list(doc: JsonDocument, pointer: str, old: list, new: list) -> JsonDocument:
    """Make the array at `pointer` hold `new`, matching items by name: kept ones changed member by member, the
    others removed or inserted where they stand; untouched items keep their text."""
    matcher = difflib.SequenceMatcher(a=[_item_key(i) for i in old], b=[_item_key(i) for i in new], autojunk=False)
    for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        paired = min(i2 - i1, j2 - j1)
        for k in reversed(range(paired)):
            was, now = old[i1 + k], new[j1 + k]
            if was == now and type(was) is type(now):
                continue
            item = f"{pointer}/{i1 + k}"
            both_objects = isinstance(was, dict) and isinstance(now, dict)
            doc = sync_object(doc, item, was, now) if both_objects else doc.set(item, now)
        for index in reversed(range(i1 + paired, i2)):
            doc = remove_item(doc, pointer, index)
        for offset, value in enumerate(new[j1 + paired : j2]):
            doc = insert_item(doc, pointer, i1 + paired + offset, value)
    return doc


def rename_key(doc: JsonDocument, pointer: str, new_key: str) -> JsonDocument:
    """The document with the member at `pointer` under the name `new_key`, where it stands."""
    key = doc.spans[pointer].key
    if key is None:
        raise KeyError(f"{pointer} is not an object member")
    return JsonDocument.parse(doc.text[: key.start] + json.dumps(new_key, ensure_ascii=False) + doc.text[key.end :])
