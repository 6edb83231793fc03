"""The form model of a Python function: cards parsed from source, edits written back as minimal text edits."""
from ._catalog import ArgSpec, FunctionSignature, Issue, literal_fits, validate_card
from ._document import FunctionDocument
from ._errors import (
    CardNotFoundError,
    CodeSyncError,
    DocumentInvalidError,
    FieldValueError,
    FunctionNotFoundError,
    InvalidEditError,
)
from ._literals import (Literal, expression_of, list_items, list_text, literal_editor_kind, literal_kind_for,
                        literal_of, number_of, when_of, when_text)
from ._model import AUG_OPERATORS, FIELD_NAMES, LOG_LEVELS, MODEL_OPERATIONS, Card, CardKind, CodeError
from ._pickers import PickerOption, event_data_pickers

__all__ = [
    "AUG_OPERATORS", "ArgSpec", "Card", "CardKind", "CardNotFoundError", "CodeError", "CodeSyncError", "DocumentInvalidError",
    "FIELD_NAMES", "FieldValueError", "FunctionDocument", "FunctionNotFoundError", "FunctionSignature",
    "InvalidEditError", "Issue", "LOG_LEVELS", "MODEL_OPERATIONS", "PickerOption", "event_data_pickers",
    "literal_fits", "validate_card",
    "Literal", "expression_of", "list_items", "list_text", "literal_editor_kind", "literal_kind_for", "literal_of",
    "number_of", "when_of", "when_text",
]
