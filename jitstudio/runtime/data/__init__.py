"""An app's data: where it lives (the database URL and engine), its tables built from the models and migrated
on open, units of work, Q filters as SQL, and the JitAI data API of each model."""
from .api import DataError, ModelApi
from .db import DatabaseUrlError, describe, make_engine, resolve_db_url
from .migrate import MigrationError, sync_schema
from .sqlfilter import QueryError
from .tables import ModelTable, build_table, field_problems, internal_tables

__all__ = [
    "DataError", "DatabaseUrlError", "MigrationError", "ModelApi", "ModelTable", "QueryError", "build_table",
    "describe", "field_problems", "internal_tables", "make_engine", "resolve_db_url", "sync_schema",
]
