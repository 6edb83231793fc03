"""Imports for app code: the app's own element folders and the JitAI platform names side by side.

An app has folders `models/`, `services/`, `events/` … and its code also imports platform modules under
the same first names (`from services.NormalType import NormalService`). One finder, first on
`sys.meta_path`, serves both: platform names come from jitstudio, every other name under an element family
is looked up in the open app's folder, and each module of the app gets `app` in its globals, as app code
written for JitAI expects.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import threading
import types
from pathlib import Path
from typing import Any

from . import platform
from ..values import TYPES, datatypes

FAMILIES = ("models", "services", "events", "workflows", "aiagents", "aiassistants", "databases")


def _module(name: str, **attrs: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    return module


def _platform_modules() -> dict[str, dict[str, Any]]:
    meta = {"datatypes": datatypes, **TYPES}
    return {
        "datatypes": {"__path__": [], **meta},
        "datatypes.Meta": meta,
        "models.NormalType": {"NormalModel": platform.NormalModel},
        "services.NormalType": {"NormalService": platform.NormalService},
        "events.Meta": {"JitEvent": platform.JitEvent},
        "jit": {"__path__": []},
        "jit.commons": {"__path__": []},
        "jit.commons.utils": {"__path__": []},
        "jit.commons.utils.logger": {"log": platform.log, "logger": platform.log},
        "jit.errcode": {"Code": platform.Code},
        "globals": {"GlobalVar": platform.GlobalVar},
    }


class _ModuleLoader(importlib.abc.Loader):
    def __init__(self, module: types.ModuleType):
        self.module = module

    def create_module(self, spec):
        return self.module

    def exec_module(self, module) -> None:
        return None


class _AppLoader(importlib.abc.Loader):
    """Runs a module of the app with `app` already in its globals."""

    def __init__(self, inner: importlib.abc.Loader, finder: "AppImportFinder"):
        self.inner, self.finder = inner, finder

    def create_module(self, spec):
        return self.inner.create_module(spec)

    def exec_module(self, module) -> None:
        module.__dict__.setdefault("app", self.finder.app)
        self.inner.exec_module(module)


class AppImportFinder(importlib.abc.MetaPathFinder):
    def __init__(self):
        self.root: Path | None = None
        self.app: Any = None
        self._platform = {name: _module(name, **attrs) for name, attrs in _platform_modules().items()}
        self._lock = threading.RLock()

    def find_spec(self, fullname: str, path: Any, target: Any = None):
        top = fullname.partition(".")[0]
        if fullname in self._platform:
            module = self._platform[fullname]
            return importlib.machinery.ModuleSpec(fullname, _ModuleLoader(module), is_package=hasattr(module, "__path__"))
        if top not in FAMILIES or self.root is None:
            return None
        if fullname == top:
            package = _module(top, __path__=[str(self.root / top)], app=self.app)
            return importlib.machinery.ModuleSpec(top, _ModuleLoader(package), is_package=True)
        parent = sys.modules.get(fullname.rpartition(".")[0])
        search = list(getattr(parent, "__path__", None) or [])
        spec = importlib.machinery.PathFinder.find_spec(fullname, search)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _AppLoader(spec.loader, self)
        return spec

    def activate(self, root: Path, app: Any) -> None:
        """Serve `root`'s code from now on; modules of a previously served app (or of this one, which may
        have changed on disk) are forgotten so the next import reads the files."""
        with self._lock:
            self.forget()
            self.root, self.app = Path(root), app
            if str(root) not in sys.path:
                sys.path.insert(0, str(root))

    def deactivate(self, root: Path) -> None:
        with self._lock:
            if self.root == Path(root):
                self.forget()
                self.root, self.app = None, None
            while str(root) in sys.path:
                sys.path.remove(str(root))

    def forget(self) -> None:
        for name in list(sys.modules):
            if name.partition(".")[0] in FAMILIES and name not in self._platform:
                del sys.modules[name]


FINDER = AppImportFinder()


def install() -> AppImportFinder:
    if FINDER not in sys.meta_path:
        sys.meta_path.insert(0, FINDER)
    return FINDER
