"""The local runtime engine: an app's tables and data API, its events (sync, async, custom), the records of
every execution, the approval/agent/assistant engines, and the JitAI import names its code uses. Qt-free.

`Runtime` (runtime.py) builds the parts; the sub-packages are the parts: `data/`, `events/` (with `queue/`),
`execution/`, `records/`, `values/`, `engines/`, `http/`, `shims/`. Each name is imported on first use."""
from typing import TYPE_CHECKING

from .. import lazy_exports
from ..errors import AppError, ElementNotFound, JitstudioError, UserError

__all__ = [
    "App", "AppError", "DataError", "DatabaseUrlError", "DatatypeArgumentError", "ElementNotFound",
    "EventChainTooDeep", "EventSvc", "HandlerError", "HandlerTimeout", "JitDict", "JitList", "JitValue",
    "JitstudioError", "MigrationError", "ModelApi", "NotAnAppFolder", "Outcome", "QueryError", "RowData", "RowList",
    "Runtime", "UserError", "app_records_url", "datatypes", "get_sender",
]

if TYPE_CHECKING:
    from .appfacade import App, EventSvc
    from .data import DataError, DatabaseUrlError, MigrationError, ModelApi, QueryError
    from .events import EventChainTooDeep, HandlerError, get_sender
    from .execution import HandlerTimeout, Outcome
    from .runtime import NotAnAppFolder, Runtime, app_records_url
    from .values import JitDict, JitList, JitValue, RowData, RowList, datatypes
    from .values.typedargs import DatatypeArgumentError
else:
    __getattr__, __dir__ = lazy_exports(__name__, {
        ".appfacade": ("App", "EventSvc"),
        ".data": ("DataError", "DatabaseUrlError", "MigrationError", "ModelApi", "QueryError"),
        ".events": ("EventChainTooDeep", "HandlerError", "get_sender"),
        ".execution": ("HandlerTimeout", "Outcome"),
        ".runtime": ("NotAnAppFolder", "Runtime", "app_records_url"),
        ".values": ("JitDict", "JitList", "JitValue", "RowData", "RowList", "datatypes"),
        ".values.typedargs": ("DatatypeArgumentError",),
    })
