"""RecordsTableModel: the records table, filled a keyset page at a time as the view scrolls, and kept live.

Pages are read on the backend's pool (`fetchMore` only asks for one); a result for filters that are no longer
current is ignored. `poll()` brings in records newer than the top row and refreshes rows still running.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QModelRoleDataSpan, Qt, Signal

from ...runtime.records import Cursor, Filters, RecordStore
from ._format import STATUS_LABELS, format_duration, format_started, short_event, status_icon, status_text_color
from ._rows import RowBlock, RowColumns
from ._tasks import RecordsBackend, Ticket

PAGE_SIZE = 500
LIVE_BATCH = 500
LIVE_MAX_NEW = 5_000
LATE_SLACK_US = 2_000_000
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Event", "Trigger", "Status", "Started", "Duration", "Error")
EVENT, TRIGGER, STATUS, STARTED, DURATION, ERROR = range(len(COLUMNS))
DISPLAY, DECORATION, TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole
FOREGROUND, ALIGNMENT = Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.TextAlignmentRole
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def load_page(store: RecordStore, filters: Filters, after: Cursor | None, limit: int) -> tuple[RowBlock, Cursor | None]:
    rows, next_cursor = store.page_rows(**asdict(filters), after=after, limit=limit)
    return RowBlock.from_list_rows(rows), next_cursor


@dataclass
class LiveChanges:
    latest: int | None
    new: RowBlock = field(default_factory=RowBlock)
    overflow: bool = False
    changed: RowBlock = field(default_factory=RowBlock)
    gone: list[int] = field(default_factory=list)


def poll_changes(store: RecordStore, filters: Filters, top: Cursor | None, known_latest: int | None,
                 known_top_ids: set[int], running_ids: list[int]) -> LiveChanges:
    """Records newer than `top` (and late ones just below it not yet shown), and the current state of the
    rows that were running."""
    latest = store.latest_started_us()
    changes = LiveChanges(latest)
    if latest is not None and latest != known_latest:
        floor = None if top is None else Cursor(top.started_us - LATE_SLACK_US, 0)
        found, after = [], None
        while True:
            rows, next_cursor = store.page_rows(**asdict(filters), newer_than=floor, after=after, limit=LIVE_BATCH)
            found.extend(row for row in rows if row[0] not in known_top_ids)
            if next_cursor is None:
                break
            if len(found) >= LIVE_MAX_NEW:
                changes.overflow = True
                break
            after = next_cursor
        changes.new = RowBlock.from_list_rows(found)
    if running_ids:
        current = store.get_many(running_ids, full=False)
        changes.changed = RowBlock.from_records(r for r in current if r.status != "running")
        still = {r.id for r in current}
        changes.gone = [i for i in running_ids if i not in still]
    return changes


class RecordsTableModel(QAbstractTableModel):
    sig_loading = Signal(bool)
    sig_page_loaded = Signal(int)  # rows added
    sig_prepended = Signal(int)  # rows added above the rows shown
    sig_reload_needed = Signal()
    sig_live_changes = Signal()  # the store has new or finished records (shown or not)
    sig_error = Signal(str)

    def __init__(self, backend: RecordsBackend, page_size: int = PAGE_SIZE, parent=None):
        super().__init__(parent)
        self.backend = backend
        self.page_size = page_size
        self.rows = RowColumns()
        self.filters = Filters()
        self.generation = 0
        self._cursor: Cursor | None = None
        self._more = False
        self._page_ticket: Ticket | None = None
        self._poll_ticket: Ticket | None = None
        self.latest_seen: int | None = None
        self._role_orders: dict[tuple, tuple] = {}

    # -- loading -------------------------------------------------------------------------------------------

    def set_filters(self, filters: Filters) -> None:
        """Show the records matching `filters`, from the newest."""
        self.generation += 1
        for ticket in (self._page_ticket, self._poll_ticket):
            if ticket is not None:
                ticket.drop()
        self._page_ticket = self._poll_ticket = None
        self.beginResetModel()
        self.filters = filters
        self.rows.clear()
        self._cursor = None
        self._more = True
        self.latest_seen = None
        self.endResetModel()
        self._request_page()

    def reload(self) -> None:
        self.set_filters(self.filters)

    def is_fetching(self) -> bool:
        return self._page_ticket is not None and self._page_ticket.pending

    def has_more(self) -> bool:
        return self._more

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and self._more and not self.is_fetching()

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._request_page()

    def _request_page(self) -> None:
        generation, filters, cursor, limit = self.generation, self.filters, self._cursor, self.page_size
        first = cursor is None
        self.sig_loading.emit(True)
        self._page_ticket = self.backend.submit(
            lambda store: (store.latest_started_us() if first else None, load_page(store, filters, cursor, limit)),
            lambda result: self._page_arrived(generation, first, result),
            lambda text: self._page_failed(generation, text))

    def _page_arrived(self, generation: int, first: bool, result: tuple[int | None, tuple[RowBlock, Cursor | None]]) -> None:
        if generation != self.generation:
            return
        latest, (block, next_cursor) = result
        if first:
            self.latest_seen = latest
        self._cursor = next_cursor
        self._more = next_cursor is not None
        if len(block):
            start = len(self.rows)
            self.beginInsertRows(QModelIndex(), start, start + len(block) - 1)
            self.rows.insert(start, block)
            self.endInsertRows()
        self.sig_loading.emit(False)
        self.sig_page_loaded.emit(len(block))

    def _page_failed(self, generation: int, text: str) -> None:
        if generation == self.generation:
            self._more = False
            self.sig_loading.emit(False)
            self.sig_error.emit(text)

    # -- live ----------------------------------------------------------------------------------------------

    def poll(self) -> bool:
        """Look for new and finished records in the background; False when a load or poll is under way."""
        if self.is_fetching() or (self._poll_ticket is not None and self._poll_ticket.pending):
            return False
        generation, filters = self.generation, self.filters
        rows = self.rows
        top = rows.cursor(0) if len(rows) else None
        known: set[int] = set()
        if top is not None:
            floor = top.started_us - LATE_SLACK_US
            row = 0
            while row < len(rows) and rows.started[row] >= floor:
                known.add(rows.ids[row])
                row += 1
        running, latest = sorted(rows.running), self.latest_seen
        self._poll_ticket = self.backend.submit(
            lambda store: poll_changes(store, filters, top, latest, known, running),
            lambda changes: self._apply_changes(generation, changes),
            lambda text: self.sig_error.emit(text) if generation == self.generation else None)
        return True

    def _apply_changes(self, generation: int, changes: LiveChanges) -> None:
        if generation != self.generation:
            return
        moved = changes.latest != self.latest_seen
        self.latest_seen = changes.latest
        if changes.overflow:
            self.sig_reload_needed.emit()
            return
        if not (moved or changes.gone or len(changes.changed) or len(changes.new)):
            return
        for record_id in changes.gone:
            row = self.rows.row_of(record_id)
            if row >= 0:
                self.beginRemoveRows(QModelIndex(), row, row)
                self.rows.remove(row)
                self.endRemoveRows()
        for index in range(len(changes.changed)):
            row = self.rows.row_of(changes.changed.ids[index])
            if row >= 0:
                self.rows.replace(row, changes.changed, index)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self._insert_new(changes.new)
        self.sig_live_changes.emit()

    def _insert_new(self, block: RowBlock) -> None:
        if not len(block):
            return
        top = (self.rows.started[0], self.rows.ids[0]) if len(self.rows) else None
        above = 0
        while above < len(block) and (top is None or (block.started[above], block.ids[above]) > top):
            above += 1
        if above:
            self.beginInsertRows(QModelIndex(), 0, above - 1)
            self.rows.insert(0, _slice(block, 0, above))
            self.endInsertRows()
        for index in range(above, len(block)):
            row = self.rows.position_for(block.started[index], block.ids[index])
            self.beginInsertRows(QModelIndex(), row, row)
            self.rows.insert(row, _slice(block, index, index + 1))
            self.endInsertRows()
        self.sig_prepended.emit(len(block))

    def remove_ids(self, ids: set[int]) -> None:
        for row in sorted((self.rows.row_of(i) for i in ids), reverse=True):
            if row >= 0:
                self.beginRemoveRows(QModelIndex(), row, row)
                self.rows.remove(row)
                self.endRemoveRows()

    # -- the table -----------------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def record_id(self, row: int) -> int:
        return self.rows.ids[row]

    def multiData(self, index: QModelIndex, roles: QModelRoleDataSpan) -> None:
        """All the roles a delegate asks for in one call: painting a cell crosses into Python once rather than
        once per role, which keeps paints short while a worker thread holds the interpreter. A delegate asks
        for the same roles in the same order for every cell, so the order is read once; every role is set
        (None clears it) because a delegate reuses the same span from cell to cell."""
        if not index.isValid():
            return
        count = len(roles)
        key = (count, roles[0].role()) if count else (0, None)
        order = self._role_orders.get(key)
        if order is None:
            order = self._role_orders[key] = tuple(roles[n].role() for n in range(count))
        cell = self._cell(index.row(), index.column())
        for n, role in enumerate(order):
            roles[n].setData(cell.get(role))

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = index.row()
        if role == RECORD_ID_ROLE:
            return self.rows.ids[row]
        if role == STATUS_ROLE:
            return self.rows.status_name(row)
        return self._cell(row, index.column()).get(role)

    def _cell(self, row: int, column: int) -> dict:
        rows = self.rows
        status = rows.status_name(row)
        cell: dict = {}
        if column == EVENT:
            event = rows.event(row)
            cell = {DISPLAY: short_event(event), TOOLTIP: event}
        elif column == TRIGGER:
            cell = {DISPLAY: _trigger_label(rows, row)}
        elif column == STATUS:
            cell = {DISPLAY: STATUS_LABELS.get(status, status), DECORATION: status_icon(status)}
        elif column == STARTED:
            cell = {DISPLAY: format_started(rows.started[row])}
        elif column == DURATION:
            duration = rows.duration(row)
            cell = {DISPLAY: "running…" if duration is None and status == "running" else format_duration(duration),
                    ALIGNMENT: RIGHT}
        elif column == ERROR:
            error = rows.errors.get(rows.ids[row], "")
            cell = {DISPLAY: error, TOOLTIP: error or None}
        if status == "fail" and column in (STATUS, ERROR):
            cell[FOREGROUND] = status_text_color("fail")
        cell.setdefault(TOOLTIP, f"Execution #{rows.ids[row]}")
        return cell


def _trigger_label(rows: RowColumns, row: int) -> str:
    record_id = rows.ids[row]
    text = rows.trigger(row)
    if record_id in rows.reruns:
        return f"↻ re-run of #{rows.reruns[record_id]}"
    if record_id in rows.parents:
        return f"↳ #{rows.parents[record_id]} · {text}"
    return text


def _slice(block: RowBlock, start: int, stop: int) -> RowBlock:
    ids = block.ids[start:stop]
    keep = set(ids)
    return RowBlock(ids, block.started[start:stop], block.durations[start:stop], block.status[start:stop],
                    block.events[start:stop], block.triggers[start:stop],
                    {k: v for k, v in block.errors.items() if k in keep},
                    {k: v for k, v in block.parents.items() if k in keep},
                    {k: v for k, v in block.reruns.items() if k in keep})
