"""An app's data: where it lives (the database URL and engine), its tables built from the models and migrated
on open, units of work, Q filters as SQL, and the JitAI data API of each model. Each name is imported on first
use."""
from typing import TYPE_CHECKING

from ... import lazy_exports

__all__ = [
    "DataError", "DatabaseUrlError", "MigrationError", "ModelApi", "ModelTable", "QueryError", "build_table",
    "describe", "field_problems", "internal_tables", "make_engine", "resolve_db_url", "sync_schema",
]

if TYPE_CHECKING:
    from .api import DataError, ModelApi
    from .db import DatabaseUrlError, describe, make_engine, resolve_db_url
    from .migrate import MigrationError, sync_schema
    from .sqlfilter import QueryError
    from .storable import field_problems
    from .tables import ModelTable, build_table, internal_tables
else:
    __getattr__, __dir__ = lazy_exports(__name__, {
        ".api": ("DataError", "ModelApi"),
        ".db": ("DatabaseUrlError", "describe", "make_engine", "resolve_db_url"),
        ".migrate": ("MigrationError", "sync_schema"),
        ".sqlfilter": ("QueryError",),
        ".storable": ("field_problems",),
        ".tables": ("ModelTable", "build_table", "internal_tables"),
    })
