"""Exceptions raised by the form model."""
from __future__ import annotations

from ..errors import UserError


class CodeSyncError(UserError):
    """Base class of every error codesync raises."""


class FunctionNotFoundError(CodeSyncError, LookupError):
    """The requested function is not defined in the module."""


class CardNotFoundError(CodeSyncError, KeyError):
    """No card with that id exists in the document."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "card not found"


class FieldValueError(CodeSyncError, ValueError):
    """A field value is invalid (not an expression, wrong shape, unknown field); nothing was changed."""


class InvalidEditError(CodeSyncError, ValueError):
    """A structural edit that cannot be applied (bad parent, bad position, moving into itself, ...)."""


class DocumentInvalidError(CodeSyncError):
    """The document's source does not parse; form edits are refused until it does."""
