"""The local runtime engine: an app's tables and data API, its events (sync, async, custom), and the JitAI
import names its code uses. Qt-free."""
from .appfacade import App, ElementNotFound, EventSvc
from .data.api import DataError, ModelApi
from .data.db import DatabaseUrlError
from .events.dispatch import EventChainTooDeep, HandlerOutcome
from .events.handlers import HandlerError
from .data.migrate import MigrationError
from .runtime import Runtime, get_sender
from .data.sqlfilter import QueryError
from .values.typedargs import DatatypeArgumentError
from .values import JitDict, JitList, JitValue, RowData, RowList, datatypes
from .execution.watchdog import HandlerTimeout

__all__ = [
    "App", "DataError", "DatabaseUrlError", "DatatypeArgumentError", "ElementNotFound", "EventChainTooDeep",
    "EventSvc", "HandlerError", "HandlerOutcome", "HandlerTimeout", "JitDict", "JitList", "JitValue", "MigrationError", "ModelApi", "QueryError", "RowData",
    "RowList", "Runtime", "datatypes", "get_sender",
]
