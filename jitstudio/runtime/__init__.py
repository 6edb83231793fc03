"""The local runtime engine: an app's tables and data API, its events (sync, async, custom), and the JitAI
import names its code uses. Qt-free."""
from .appfacade import App, ElementNotFound, EventSvc
from .data import DataError, ModelApi
from .db import DatabaseUrlError
from .dispatch import EventChainTooDeep, HandlerOutcome
from .handlers import HandlerError
from .migrate import MigrationError
from .runtime import Runtime, get_sender
from .sqlfilter import QueryError
from .typedargs import DatatypeArgumentError
from .values import JitDict, JitList, JitValue, RowData, RowList, datatypes
from .watchdog import HandlerTimeout

__all__ = [
    "App", "DataError", "DatabaseUrlError", "DatatypeArgumentError", "ElementNotFound", "EventChainTooDeep",
    "EventSvc", "HandlerError", "HandlerOutcome", "HandlerTimeout", "JitDict", "JitList", "JitValue", "MigrationError", "ModelApi", "QueryError", "RowData",
    "RowList", "Runtime", "datatypes", "get_sender",
]
