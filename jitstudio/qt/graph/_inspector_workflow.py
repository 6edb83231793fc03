"""The inspector's panels for an approval workflow: a node (title, approvers, a branch's links) and a link
(title, condition over the workflow's model fields, else)."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from ...project.graph import WORKFLOW, condition_summary, read_graph, type_title
from ...project.jsondoc import escape_pointer_token
from ..widgets.forms import CheckList
from ._inspector_condition import ConditionField
from ._inspector_context import InspectorContext
from ._inspector_fields import CheckField, NavigationRows, TextField, hint_label
from ._inspector_panel import PanelBase, Sink

APPROVAL, BRANCH = "approval", "branch"


def workflow_node_index(config: Any, node_id: str) -> int | None:
    nodes = config.get("nodeList") if isinstance(config, dict) else None
    for index, node in enumerate(nodes if isinstance(nodes, list) else []):
        if isinstance(node, dict) and node.get("name") == node_id:
            return index
    return None


def approvers_of(config: Any, node_id: str) -> tuple[dict[str, Any], list[str], list[str]]:
    """(the approvers object as written, users, roles); a bare list is users."""
    node_config = (config.get("nodeConfig") or {}).get(node_id) if isinstance(config, dict) else None
    spec = node_config.get("approvers") if isinstance(node_config, dict) else None
    if isinstance(spec, list):
        return {}, [str(u) for u in spec], []
    spec = spec if isinstance(spec, dict) else {}
    return spec, [str(u) for u in spec.get("users") or []], [str(r) for r in spec.get("roles") or []]


def link_entries(config: Any, kind: str, node_id: str) -> list[tuple[Any, str, str]]:
    """(link index, "→ target: condition", tooltip) for each link leaving a choosing node."""
    graph = read_graph(kind, config)
    entries = []
    for link in graph.out_links(node_id):
        target = graph.nodes[link.target].title or link.target
        rule = "else (otherwise)" if link.is_else else condition_summary(link.condition) if link.condition else "no condition"
        entries.append((link.index, f"→ {target}:  {rule}", link.condition or "Taken when no other link's condition holds"))
    return entries


def _fit_rows(check_list: CheckList, most: int = 6) -> None:
    """As tall as its items, up to `most` rows (then it scrolls)."""
    rows = min(max(check_list.count(), 1), most)
    row = check_list.sizeHintForRow(0) if check_list.count() else check_list.fontMetrics().height() + 4
    check_list.setFixedHeight(row * rows + 2 * check_list.frameWidth() + 2)


class WorkflowNodePanel(PanelBase):
    def __init__(self, sink: Sink, context: InspectorContext, node_id: str, node_type: str):
        super().__init__(sink, context)
        self.node_id, self.node_type = node_id, node_type
        self.pointer = ""
        body = self.section("Node")
        self.title = self.field(body, "Title", TextField(self._set_title, node_id, "nodeTitle"))
        self.users = self.roles = None
        if node_type == APPROVAL:
            body = self.section("Approvers")
            self.users = self.field(body, "Users", CheckList(rows=4))
            self.users.setObjectName("approverUsers")
            self.roles = self.field(body, "Roles", CheckList(rows=4))
            self.roles.setObjectName("approverRoles")
            self.users.sig_changed.connect(self._approvers_changed)
            self.roles.sig_changed.connect(self._approvers_changed)
            self.warning = QLabel("⚠ No approvers: nobody can act on this node.", objectName="warning", wordWrap=True)
            body.addWidget(self.warning)
            body.addWidget(hint_label("Anyone checked here, or holding a checked role (app.json users), can approve."))
        self.links = None
        if node_type == BRANCH:
            body = self.section("Outgoing links")
            body.addWidget(hint_label("The first link whose condition holds is taken, else the link marked else."))
            self.links = NavigationRows(sink.select_link, "No link leaves this node yet.", "outgoingLinks")
            body.addWidget(self.links)
        self.add_events()
        self.finish_layout()

    def refresh(self, config: Any) -> None:
        self.config = config
        index = workflow_node_index(config, self.node_id)
        node = config["nodeList"][index] if index is not None else {}
        self.pointer = f"/nodeList/{index}"
        title = str(node.get("title") or "")
        self.show_header(title or self.node_id, type_title(WORKFLOW, self.node_type),
                         f"node {self.node_id} of {self.context.element_name}")
        self.title.show_value(title)
        if self.users is not None and self.roles is not None:
            _spec, users, roles = approvers_of(config, self.node_id)
            user_items = [(c.value, c.label) for c in self.context.users]
            user_items += [(u, f"{u}  (not in app.json)") for u in users if u not in {c.value for c in self.context.users}]
            role_items = [(r, r) for r in self.context.roles] + [(r, f"{r}  (no user has it)") for r in roles if r not in self.context.roles]
            for check_list, items, checked in ((self.users, user_items, users), (self.roles, role_items, roles)):
                if [(v, check_list.item(i).text()) for i, v in enumerate(check_list.values())] != items:
                    check_list.set_items(items, checked)
                elif check_list.checked() != [v for v in check_list.values() if v in checked]:
                    check_list.set_checked(checked)
                _fit_rows(check_list)
            self.warning.setVisible(not users and not roles)
        if self.links is not None:
            self.links.show_value(link_entries(config, WORKFLOW, self.node_id))
        self.show_events(self.node_id)

    def _set_title(self, text: str) -> None:
        self.set_or_clear("title", text)

    def _approvers_changed(self) -> None:
        assert self.users is not None and self.roles is not None
        spec, users, roles = approvers_of(self.config, self.node_id)
        checked_users, checked_roles = self.users.checked(), self.roles.checked()
        if (sorted(checked_users), sorted(checked_roles)) == (sorted(users), sorted(roles)):
            return
        new_users = [u for u in users if u in checked_users] + [u for u in checked_users if u not in users]
        new_roles = [r for r in roles if r in checked_roles] + [r for r in checked_roles if r not in roles]
        self.warning.setVisible(not new_users and not new_roles)
        self.sink.set(f"/nodeConfig/{escape_pointer_token(self.node_id)}/approvers",
                      {**spec, "users": new_users, "roles": new_roles})


class WorkflowLinkPanel(PanelBase):
    def __init__(self, sink: Sink, context: InspectorContext, index: int):
        super().__init__(sink, context)
        self.index = index
        self.pointer = f"/linkList/{index}"
        body = self.section("Link")
        self.title = self.field(body, "Title", TextField(self._set_title, "shown on the drawing", "linkTitle"))
        body = self.section("Condition")
        self.is_else = CheckField("else (otherwise)", self.set_else, "linkElse")
        self.is_else.setToolTip("Taken when no other link leaving the same branch node holds")
        body.addWidget(self.is_else)
        self.condition = ConditionField(self._set_condition)
        body.addWidget(self.condition)
        self.note = hint_label()
        body.addWidget(self.note)
        self.finish_layout()

    def refresh(self, config: Any) -> None:
        self.config = config
        links = config.get("linkList") if isinstance(config, dict) else None
        link = links[self.index] if isinstance(links, list) and self.index < len(links) and isinstance(links[self.index], dict) else {}
        graph = read_graph(WORKFLOW, config)
        source, target = str(link.get("from") or "?"), str(link.get("to") or "?")
        names = {n: graph.nodes[n].title or n if n in graph.nodes else n for n in (source, target)}
        title = str(link.get("title") or "")
        self.show_header(title or f"{names[source]} → {names[target]}", "Link",
                         f"link {link.get('linkId', self.index)}: {source} → {target}")
        self.title.show_value(title)
        is_else = bool(link.get("else"))
        self.is_else.show_value(is_else)
        self.condition.set_fields(self.context.model_fields)
        self.condition.show_value(link.get("condition") if isinstance(link.get("condition"), str) else None)
        self.condition.setEnabled(not is_else)
        from_branch = source in graph.nodes and graph.nodes[source].type == BRANCH
        fields_of = f"Checked against the approved row's fields ({', '.join(self.context.model_fields[:6])}…)." \
            if self.context.model_fields else ""
        self.note.setText("Conditions are read only on links that leave a branch node." if not from_branch
                          else "An else link needs no condition." if is_else else fields_of)

    def _set_title(self, text: str) -> None:
        self.set_or_clear("title", text)

    def _set_condition(self, text: str | None) -> None:
        self.set_or_clear("condition", text)
