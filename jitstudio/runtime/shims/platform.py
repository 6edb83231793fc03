"""The JitAI platform names app code imports: NormalService, NormalModel, JitEvent, GlobalVar, log, Code."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from ...errors import AppError
from .context import current_runtime, current_user

log = logging.getLogger("jitstudio.app")


class NormalService:
    """Base of an app's service classes (`class OrderSvc(NormalService)`)."""

    __title__ = ""
    __fullName__ = ""
    __functionList__: dict[str, Any] = {}

    @property
    def app(self):
        return current_runtime().app


class NormalModel:
    """Base of an app's model classes; the fields are class attributes made with `datatypes.X(...)`."""

    @classmethod
    def fieldDeclarations(cls) -> dict[str, Any]:
        from ..values import JitValue

        return {k: v for k, v in vars(cls).items() if isinstance(v, JitValue)}


class JitEvent:
    """`JitEvent.publish(sender="services.OrderSvc.orderPaid", args=(...,), kwargs={...})`."""

    @staticmethod
    def publish(sender: str, args: Any = (), kwargs: dict | None = None) -> list:
        return current_runtime().publish(sender, args=args, kwargs=kwargs)


class _GlobalVar:
    """`GlobalVar.currentUser` (None when nobody is signed in) and `GlobalVar.currentTime`."""

    @property
    def currentUser(self) -> Any:
        return current_user()

    @property
    def currentTime(self) -> datetime:
        return datetime.now()


GlobalVar = _GlobalVar()


class Code(AppError):
    """A business error: `raise Code(code=40001, reason="Out of stock")`."""

    def __init__(self, code: int | str = -1, reason: str = "", **extra: Any):
        super().__init__(reason or str(code))
        self.code, self.reason, self.extra = code, reason, extra

    def __call__(self, reason: str | None = None, **extra: Any) -> "Code":
        return Code(self.code, reason if reason is not None else self.reason, **{**self.extra, **extra})

    def __str__(self) -> str:
        return self.reason or f"error {self.code}"
