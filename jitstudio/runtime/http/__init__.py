"""The app as a local HTTP server speaking JitAI's `/api/{org}/{app}/{element}/{fn}` calls with its errcode
envelope. The only part of the runtime that imports a server library."""
from .server import DEFAULT_HOST, DEFAULT_PORT, AppServer, JsonLines, is_loopback, run_until_stopped

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "AppServer", "JsonLines", "is_loopback", "run_until_stopped"]
