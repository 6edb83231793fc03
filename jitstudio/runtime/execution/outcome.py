"""How one execution ended: the one result type of running a handler, a service call or an engine's event."""
from __future__ import annotations

from typing import Any

__all__ = ["Outcome"]


class Outcome:
    """`status` is success, fail, or queued (an async event that runs after commit). On failure `error` is the
    recorded text (`ValueError: price must not be negative`) and `exception` the exception itself, not raised:
    the caller decides."""

    __slots__ = ("event", "status", "value", "error", "record_id", "exception")

    def __init__(self, event: str, status: str, value: Any = None, error: str | None = None,
                 record_id: int | None = None, exception: BaseException | None = None):
        self.event = event
        self.status = status
        self.value = value
        self.error = error
        self.record_id = record_id
        self.exception = exception

    @property
    def ok(self) -> bool:
        return self.status != "fail"

    @property
    def failed(self) -> bool:
        return self.status == "fail"

    @property
    def message(self) -> str | None:
        """What a person is shown: the handler's own message when it gave one, else the recorded error."""
        if self.exception is not None and str(self.exception):
            return str(self.exception)
        return self.error

    def unwrap(self) -> Any:
        """The value, or the handler's exception raised again."""
        if self.exception is not None:
            raise self.exception
        return self.value

    def to_json(self) -> dict[str, Any]:
        from ..values.jsonable import to_jsonable

        return {"event": self.event, "status": self.status, "recordId": self.record_id,
                "output": to_jsonable(self.value), "error": self.error}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Outcome):
            return NotImplemented
        return (self.event, self.status, self.value, self.error, self.record_id) == \
            (other.event, other.status, other.value, other.error, other.record_id)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"Outcome(event={self.event!r}, status={self.status!r}, value={self.value!r}, error={self.error!r}, "
                f"record_id={self.record_id})")
