"""The root of every error jitstudio raises on purpose, and the two kinds beneath it.

A `UserError` means the input cannot be used as given (a malformed filter, an element that does not exist,
a database URL that cannot be opened): the command line exits 2. An `AppError` means the app itself refused
or failed (a handler raised, an event chain looped, a handler ran out of time): the command line exits 1 and
prints the app's own message. Each concrete class also keeps the built-in base callers already catch
(`ValueError`, `LookupError`, `TimeoutError`, …).
"""
from __future__ import annotations

__all__ = ["AppError", "ElementNotFound", "JitstudioError", "UserError", "exit_status"]


class JitstudioError(Exception):
    """Raised by jitstudio on purpose, with a message meant for the person who reads it."""

    exit_status = 1


class UserError(JitstudioError):
    """The request cannot be done as asked: bad input, a name that does not exist, a file that cannot be used."""

    exit_status = 2


class AppError(JitstudioError):
    """The app refused or failed: its code raised, looped, or did not return in time."""

    exit_status = 1


class ElementNotFound(UserError, LookupError):
    """A name that is not an element of the app (`app.getElement(name)`, a model, an event, a service)."""


def exit_status(exc: BaseException) -> int:
    """The command-line exit status for an error: 2 for user errors, 1 for everything else."""
    return exc.exit_status if isinstance(exc, JitstudioError) else 1
