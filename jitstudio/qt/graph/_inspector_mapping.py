"""Name → value rows bound to config.json: an object of expressions (a function node's `args`, an edge's
`argMapping`) or a list of {name, value} (a node's output parameters). A changed value writes that one member;
a rename, an added or a removed row writes the object or list once."""
from __future__ import annotations

from typing import Any

from ...project.jsondoc import escape_pointer_token
from ...project.graph_edits import fresh_id
from ._inspector_fields import PairRows, Sections
from ._inspector_panel import Sink


class MappingRows(PairRows):
    def __init__(self, sink: Sink, add_text: str, name: str):
        super().__init__(add_text, self._rename, self._set_value, self._remove, self._add, name)
        self.sink = sink
        self.pointer = ""
        self.mapping: dict[str, Any] = {}
        self.suggestions: list[str] = []

    def show_mapping(self, config: Any, pointer: str, mapping: Any, suggestions: list[str], options: Sections,
                     empty_text: str) -> None:
        self.pointer = pointer
        self.mapping = dict(mapping) if isinstance(mapping, dict) else {}
        self.suggestions = suggestions
        self.set_options(options)
        self.show_value([(str(k), v if isinstance(v, str) or v is None else str(v)) for k, v in self.mapping.items()], empty_text)
        missing = [s for s in suggestions if s not in self.mapping]
        self.add_button.setToolTip(f"Add {missing[0]}" if missing else "Add a row")

    def _member(self, key: str) -> str:
        return f"{self.pointer}/{escape_pointer_token(key)}"

    def _rename(self, index: int, text: str) -> None:
        keys = list(self.mapping)
        if not text or text in self.mapping:
            self.show_value([(k, self.mapping[k]) for k in keys])
            return
        self.sink.set(self.pointer, {(text if k == keys[index] else k): v for k, v in self.mapping.items()})

    def _set_value(self, index: int, value: str | None) -> None:
        self.sink.set(self._member(list(self.mapping)[index]), value or "")

    def _remove(self, index: int) -> None:
        self.sink.delete(self._member(list(self.mapping)[index]))

    def _add(self) -> None:
        name = next((s for s in self.suggestions if s not in self.mapping), None) or fresh_id(self.mapping, "arg")
        self.sink.set(self._member(name), "")


class ListRows(PairRows):
    def __init__(self, sink: Sink, add_text: str, name: str):
        super().__init__(add_text, self._rename, self._set_value, self._remove, self._add, name)
        self.sink = sink
        self.pointer = ""
        self.items: list[dict[str, Any]] = []

    def show_list(self, config: Any, pointer: str, items: Any, options: Sections) -> None:
        self.pointer = pointer
        self.items = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
        self.set_options(options)
        self.show_value([(str(i.get("name") or ""), i.get("value")) for i in self.items], "None.")

    def _rename(self, index: int, text: str) -> None:
        if not text:
            self.show_value([(str(i.get("name") or ""), i.get("value")) for i in self.items], "None.")
            return
        self.sink.set(f"{self.pointer}/{index}/name", text)

    def _set_value(self, index: int, value: str | None) -> None:
        self.sink.set(f"{self.pointer}/{index}/value", value or "")

    def _remove(self, index: int) -> None:
        self.sink.set(self.pointer, [item for i, item in enumerate(self.items) if i != index])

    def _add(self) -> None:
        name = fresh_id({str(i.get("name")) for i in self.items}, "param")
        self.sink.set(self.pointer, [*self.items, {"name": name, "value": ""}])
