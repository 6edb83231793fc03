"""A small app for the HTTP server tests, and a server of it in a background thread."""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

from _runtime_support import make_app, write
from jitstudio.runtime import Runtime
from jitstudio.runtime.http import Access, AppServer

JSON = {"Content-Type": "application/json"}


def make_notes_app(root: Path, *, opt_in: bool = False) -> Path:
    """models.Note (sku unique) and services.NoteSvc: whoami (needs sign-in) and hello (loginRequired 0)."""
    make_app(root, models={"Note": 'sku = datatypes.Stext(name="sku", unique=1)\ntext = datatypes.Stext(name="text")\n'},
             services={"NoteSvc": ({"functionList": [{"name": "whoami", "args": []},
                                                     {"name": "hello", "args": [], "loginRequired": 0},
                                                     {"name": "hidden", "args": [], "accessModifier": "private"}]},
                                   "def whoami(self):\n    from globals import GlobalVar\n    return GlobalVar.currentUser\n"
                                   "def hello(self):\n    return 'hello'\n"
                                   "def hidden(self):\n    return 'secret'\n")})
    if opt_in:
        write(root / "models" / "Note" / "e.json", {"title": "Note", "type": "models.NormalType", "functionList": [
            {"name": "deleteByFilter", "accessModifier": "public"},
            {"name": "updateByFilter", "accessModifier": "public"}]})
    app_json = json.loads((root / "app.json").read_text())
    write(root / "app.json", {**app_json, "users": [{"name": "ana"}, {"name": "bob"}]})
    return root


@contextmanager
def served(root: Path, access: Access | None = None, lines: list | None = None) -> Iterator[tuple[httpx.Client, Runtime]]:
    rt = Runtime(root)
    server = AppServer(rt, port=0, access=access, log=None if lines is None else lines.append).start()
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            yield client, rt
    finally:
        server.stop()
        rt.close()


def api(fn: str) -> str:
    return f"/api/local/notes/{fn}"
