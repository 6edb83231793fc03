"""What every request must pass before anything of the app runs: its Host is one this server answers to (a
page on another site cannot reach it through DNS rebinding), its Origin, when a browser sends one, is the
server's own or one allowed, and a call's body is JSON of a size and depth the server reads.

`Access` holds the settings: whether callers must sign in, the allowed hosts and origins, the body limit.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ._calls import (
    BAD_REQUEST, HOST_NOT_ALLOWED, ORIGIN_NOT_ALLOWED, TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, ApiError,
)

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
MAX_BODY_BYTES = 16 * 1024 * 1024
ANY_HOST = "*"


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_NAMES or host.startswith("127.")


@dataclass(frozen=True)
class Access:
    """`sign_in`: every call needs a bearer token unless its function says `loginRequired: 0`.
    `allowed_hosts`: Host names accepted beside the loopback names (`*` accepts any; the address the
    server is bound to is added by the server). `allowed_origins`: cross-origin browser origins accepted,
    e.g. `https://admin.example.com`."""

    sign_in: bool = False
    allowed_hosts: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()
    max_body: int = MAX_BODY_BYTES
    _hosts: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = {_bare(h) for h in (*LOOPBACK_NAMES, *self.allowed_hosts) if h}
        object.__setattr__(self, "_hosts", frozenset(names))

    def with_host(self, host: str) -> "Access":
        """These settings with the bind address accepted as a Host too (unless it is a wildcard address)."""
        if host in ("", "0.0.0.0", "::") or _bare(host) in self._hosts:
            return self
        return Access(self.sign_in, (*self.allowed_hosts, host), self.allowed_origins, self.max_body)

    def to_json(self) -> dict[str, Any]:
        return {"sign_in": self.sign_in, "allowed_hosts": list(self.allowed_hosts),
                "allowed_origins": list(self.allowed_origins), "max_body": self.max_body}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Access":
        return cls(bool(data["sign_in"]), tuple(data["allowed_hosts"]), tuple(data["allowed_origins"]),
                   int(data["max_body"]))

    def check_host(self, host_header: str | None) -> None:
        if host_header is None:
            raise ApiError(HOST_NOT_ALLOWED, "the request has no Host header")
        if ANY_HOST in self._hosts or _host_name(host_header) in self._hosts:
            return
        raise ApiError(HOST_NOT_ALLOWED, f"this server does not answer to the host {host_header!r}; it answers to "
                                         f"{', '.join(sorted(self._hosts))} (jitstudio serve --allowed-host NAME)")

    def check_origin(self, origin: str | None, host_header: str | None) -> bool:
        """Whether a cross-origin answer needs CORS headers; raises when the origin is not allowed."""
        if origin is None:
            return False
        if host_header is not None and urlsplit(origin).netloc.lower() == host_header.lower():
            return False
        if origin.rstrip("/") in self.allowed_origins:
            return True
        raise ApiError(ORIGIN_NOT_ALLOWED, f"calls from pages of {origin} are not allowed; this server accepts "
                                           "browser calls only from the origins it is started with "
                                           "(--allowed-origin URL)")


def _bare(host: str) -> str:
    return host.strip().lower().strip("[]").rstrip(".")


def _host_name(header: str) -> str:
    """The name of a Host header without its port: `localhost:8765`, `[::1]:8765`, `::1`, `Example.com.`."""
    header = header.strip()
    if header.startswith("["):
        return _bare(header[1:].partition("]")[0])
    if header.count(":") == 1:
        header = header.partition(":")[0]
    return _bare(header)


def check_json_content_type(content_type: str | None) -> None:
    media = (content_type or "").partition(";")[0].strip().lower()
    if media != "application/json":
        raise ApiError(UNSUPPORTED_MEDIA_TYPE, f"a call's body must be sent with Content-Type: application/json, "
                                               f"not {content_type or 'none'}")


def check_content_length(value: str | None, limit: int) -> None:
    if value is None:
        return
    if not value.strip().isdigit():
        raise ApiError(BAD_REQUEST, f"Content-Length {value!r} is not a number of bytes")
    if int(value) > limit:
        raise ApiError(TOO_LARGE, f"the body is {int(value)} bytes; at most {limit} are accepted")


def json_object(body: bytes) -> dict:
    if not body.strip():
        return {}
    try:
        value = json.loads(body)
    except RecursionError:
        raise ApiError(BAD_REQUEST, "the body is JSON nested too deeply to read") from None
    except ValueError as exc:
        raise ApiError(BAD_REQUEST, f"the body is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ApiError(BAD_REQUEST, "the body must be a JSON object of keyword arguments, "
                                    f"e.g. {{\"orderId\": 1}}, not a JSON {type(value).__name__}")
    return value
