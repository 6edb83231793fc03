"""The values app code handles: JitAI's typed scalars with `.value`, JitDict, JitList, RowData and RowList, and
the conversions to and from plain data (argsToDatatype, bounded JSON for the records)."""
from ._base import TYPES, JitValue, infer_datatype, native, wrap
from .containers import (
    SCALAR_TYPES, JitDict, JitList, JitMap, datatypes, model_event_parts, model_event_payload, to_json,
)
from .rows import RowData, RowField, RowList

__all__ = [
    "SCALAR_TYPES", "TYPES", "JitDict", "JitList", "JitMap", "JitValue", "RowData", "RowField", "RowList", "datatypes",
    "infer_datatype", "model_event_parts", "model_event_payload", "native", "to_json", "wrap",
]
