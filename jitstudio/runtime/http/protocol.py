"""uvicorn's HTTP/1.1 protocol (h11), answering a request it cannot parse (a Content-Length that is not a
number or is negative, a broken header line) with JitAI's JSON envelope instead of a text line."""
from __future__ import annotations

import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from ._calls import BAD_REQUEST, ApiError

UNREADABLE = ApiError(BAD_REQUEST, "the request is not valid HTTP/1.1 (a Content-Length that is not a "
                                   "non-negative number of bytes, a malformed request or header line)")
PROTOCOL = f"{__name__}:JsonErrorH11Protocol"


class JsonErrorH11Protocol(H11Protocol):
    def send_400_response(self, msg: str) -> None:
        body = json.dumps(UNREADABLE.envelope()).encode()
        headers = [(b"content-type", b"application/json; charset=utf-8"), (b"connection", b"close"),
                   (b"content-length", str(len(body)).encode())]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"), h11.Data(data=body),
                      h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
        self.transport.close()
