"""The inspector's panels for an AI assistant: a node (title; agent; function and arguments; iteration items;
an if/else node's branches; the backend and page event switches with their output parameters) and an edge
(condition, else, argMapping)."""
from __future__ import annotations

from functools import partial
from typing import Any

from ...project.graph import ASSISTANT, read_graph, type_title
from ...project.jsondoc import pointer_of
from ...project.schemas import EVENTFUL_NODE_TYPES
from ..funceditor._inputs import ExpressionEdit
from ._inspector_condition import ConditionField
from ._inspector_context import InspectorContext, input_names, upstream_expressions
from ._inspector_fields import ChoiceField, CheckField, NavigationRows, SwitchField, TextField, complete_from, hint_label
from ._inspector_mapping import ListRows, MappingRows
from ._inspector_panel import PanelBase, Sink
from ._inspector_workflow import link_entries


def assistant_node(config: Any, node_id: str) -> dict[str, Any]:
    nodes = config.get("nodes") if isinstance(config, dict) else None
    node = nodes.get(node_id) if isinstance(nodes, dict) else None
    return node if isinstance(node, dict) else {}


class AssistantNodePanel(PanelBase):
    def __init__(self, sink: Sink, context: InspectorContext, node_id: str, node_type: str):
        super().__init__(sink, context)
        self.node_id, self.node_type = node_id, node_type
        self.pointer = pointer_of(["nodes", node_id])
        body = self.section("Node")
        self.title = self.field(body, "Title", TextField(self._set_title, node_id, "nodeTitle"))
        self.agent = self.function = self.args = self.items = self.branches = None
        if node_type == "aiagent":
            body = self.section("Agent")
            self.agent = self.field(body, "AI agent", ChoiceField(lambda v: sink.set(f"{self.pointer}/agent", v), "agentChoice"))
        if node_type == "function":
            body = self.section("Function")
            self.function = self.field(body, "Calls", ChoiceField(lambda v: sink.set(f"{self.pointer}/function", v), "functionChoice"))
            self.args = MappingRows(sink, "+ Argument", "functionArgs")
            self.field(body, "Arguments", self.args)
            body.addWidget(hint_label("Each value is nodeId.output of a node that ran before, or a plain value. "
                                      "Without arguments the function gets its incoming edge's argMapping."))
        if node_type == "iteration":
            body = self.section("Iteration")
            self.items = self.field(body, "Items", ExpressionEdit("nodeId.output holding a list"))
            self.items.setObjectName("iterationItems")
            self.items.sig_committed.connect(self._set_items)
            body.addWidget(hint_label("The body (edges from the loop port) runs once per item; it reads "
                                      f"{node_id}.item and {node_id}.index."))
        if node_type == "ifelse":
            body = self.section("Branches")
            body.addWidget(hint_label("The first edge whose condition holds is taken, else the edge marked else."))
            self.branches = NavigationRows(sink.select_link, "No edge leaves this node yet.", "outgoingLinks")
            body.addWidget(self.branches)
        self.backend = self.page = self.arrival = self.after_run = None
        if node_type in EVENTFUL_NODE_TYPES:
            body = self.section("Node events")
            self.backend = SwitchField("Backend events", lambda on: sink.set(f"{self.pointer}/events/backend", on), "backendEvents")
            self.page = SwitchField("Page events", lambda on: sink.set(f"{self.pointer}/events/page", on), "pageEvents")
            body.addWidget(self.backend)
            body.addWidget(self.page)
            self.events_note = hint_label()
            body.addWidget(self.events_note)
            self.arrival = ListRows(sink, "+ Parameter", "arrivalOutputArgs")
            self.after_run = ListRows(sink, "+ Parameter", "afterRunOutputArgs")
            self.field(body, "On arrival: output parameters", self.arrival)
            self.field(body, "After run: output parameters", self.after_run)
        self.add_events()
        self.finish_layout()

    def refresh(self, config: Any) -> None:
        self.config = config
        node, at = assistant_node(config, self.node_id), self.pointer
        title = str(node.get("title") or "")
        self.show_header(title or self.node_id, type_title(ASSISTANT, self.node_type), f"node {self.node_id} of {self.context.element_name}")
        self.title.show_value(title)
        options = partial(upstream_expressions, self.context, config, self.node_id)
        if self.agent is not None:
            self.agent.show_value([(a.value, a.label) for a in self.context.agents], node.get("agent"))
        if self.function is not None and self.args is not None:
            self.function.show_value([(f.value, f.label) for f in self.context.functions], node.get("function"))
            function = self.context.function(node.get("function"))
            self.args.show_mapping(config, f"{at}/args", node.get("args"), list(function.params if function else ()), options,
                                   "No arguments: the incoming edge's argMapping is passed.")
        if self.items is not None:
            self.items.set_options(options)
            complete_from(self.items, options)
            self.items.set_value(node.get("items") if isinstance(node.get("items"), str) else None)
        if self.branches is not None:
            self.branches.show_value(link_entries(config, ASSISTANT, self.node_id))
        if self.backend is not None and self.page is not None and self.arrival is not None and self.after_run is not None:
            events: dict[str, Any] = node["events"] if isinstance(node.get("events"), dict) else {}
            self.backend.show_value(bool(events.get("backend")))
            self.page.show_value(bool(events.get("page")))
            self.events_note.setText(f"Events on {self.node_id}.beforeNodeRun and .afterNodeRun fire only while backend "
                                     "events are on; they carry the output parameters below, in order.")
            self_options = partial(upstream_expressions, self.context, config, self.node_id, include_self=True)
            self.arrival.show_list(config, f"{at}/events/arrivalOutputArgs", events.get("arrivalOutputArgs"), options)
            self.after_run.show_list(config, f"{at}/events/afterRunOutputArgs", events.get("afterRunOutputArgs"), self_options)
        self.show_events(self.node_id)

    def _set_title(self, text: str) -> None:
        self.set_or_clear("title", text)

    def _set_items(self, text: str | None) -> None:
        self.set_or_clear("items", text)


class AssistantEdgePanel(PanelBase):
    def __init__(self, sink: Sink, context: InspectorContext, index: int):
        super().__init__(sink, context)
        self.index = index
        self.pointer = f"/edges/{index}"
        body = self.section("Condition")
        self.is_else = CheckField("else (otherwise)", self.set_else, "linkElse")
        self.is_else.setToolTip("Taken when no other edge leaving the same if/else node holds")
        body.addWidget(self.is_else)
        self.condition = ConditionField(self._set_condition)
        body.addWidget(self.condition)
        self.note = hint_label()
        body.addWidget(self.note)
        body = self.section("Argument mapping")
        self.mapping = MappingRows(sink, "+ Mapping", "argMapping")
        body.addWidget(self.mapping)
        body.addWidget(hint_label("What the target node receives: its input name → nodeId.output of a node that "
                                  "ran before, or a plain value."))
        self.finish_layout()

    def refresh(self, config: Any) -> None:
        self.config = config
        edges = config.get("edges") if isinstance(config, dict) else None
        edge = edges[self.index] if isinstance(edges, list) and self.index < len(edges) and isinstance(edges[self.index], dict) else {}
        graph = read_graph(ASSISTANT, config)
        source, target = str(edge.get("sourceNode") or "?"), str(edge.get("targetNode") or "?")
        names = {n: (graph.nodes[n].title or n) if n in graph.nodes else n for n in (source, target)}
        self.show_header(f"{names[source]} → {names[target]}", "Edge", f"edge {edge.get('id', self.index)}: {source} → {target}")
        is_else = bool(edge.get("else"))
        self.is_else.show_value(is_else)
        self.condition.set_fields(self._condition_fields(config, source))
        self.condition.show_value(edge.get("condition") if isinstance(edge.get("condition"), str) else None)
        self.condition.setEnabled(not is_else)
        from_ifelse = source in graph.nodes and graph.nodes[source].type == "ifelse"
        self.note.setText("Conditions are read only on edges that leave an if/else node." if not from_ifelse
                          else "An else edge needs no condition." if is_else
                          else "Checked against what the if/else node received (its incoming argMapping).")
        target_node = assistant_node(config, target)
        options = partial(upstream_expressions, self.context, config, source, include_self=True)
        self.mapping.show_mapping(config, f"{self.pointer}/argMapping", edge.get("argMapping"),
                                  input_names(self.context, target_node), options, "Nothing is mapped.")

    def _condition_fields(self, config: Any, source: str) -> list[str]:
        """The names the if/else node is handed: its incoming edges' argMapping keys and its inputArgs."""
        names = input_names(self.context, assistant_node(config, source))
        for edge in config.get("edges") or [] if isinstance(config, dict) else []:
            if isinstance(edge, dict) and edge.get("targetNode") == source and isinstance(edge.get("argMapping"), dict):
                names += [k for k in edge["argMapping"] if k not in names]
        return names

    def _set_condition(self, text: str | None) -> None:
        self.set_or_clear("condition", text)

