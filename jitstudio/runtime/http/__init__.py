"""The app as an HTTP server (uvicorn + Starlette) speaking JitAI's `/api/{org}/{app}/{element}/{fn}` calls with
its errcode envelope, with bearer-token sign-in and request checks. The only part of the runtime that imports
a server library. Each name is imported on first use."""
from typing import TYPE_CHECKING

from ... import lazy_exports

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "Access", "AppServer", "JsonLines", "TokenError", "TokenStore",
           "is_loopback", "run_until_stopped"]

if TYPE_CHECKING:
    from .guard import Access, is_loopback
    from .server import DEFAULT_HOST, DEFAULT_PORT, AppServer, JsonLines, run_until_stopped
    from .tokens import TokenError, TokenStore
else:
    __getattr__, __dir__ = lazy_exports(__name__, {
        ".guard": ("Access", "is_loopback"),
        ".server": ("DEFAULT_HOST", "DEFAULT_PORT", "AppServer", "JsonLines", "run_until_stopped"),
        ".tokens": ("TokenError", "TokenStore"),
    })
