"""Finding the code an event runs: an Inner event's `customFunc`, or a service function (`services.Svc.fn`)."""
from __future__ import annotations

import importlib
import inspect
import threading
from typing import TYPE_CHECKING, Any, Callable

from ...project import ServiceElement
from .index import CompiledEvent

if TYPE_CHECKING:
    from ..runtime import Runtime


class HandlerError(LookupError):
    """The code an event or call names does not exist; says what is missing and where."""


class Handlers:
    """Handler callables and service instances of one runtime, loaded on first use."""

    def __init__(self, runtime: "Runtime"):
        self._rt = runtime
        self._services: dict[str, Any] = {}
        self._events: dict[str, Callable] = {}
        self._lock = threading.RLock()

    def for_event(self, event: CompiledEvent) -> Callable:
        found = self._events.get(event.full_name)
        if found is not None:
            return found
        with self._lock:
            spec = event.spec
            if spec.is_inner:
                fn = self._inner(event)
            else:
                fn = self.service_function(spec.func, owner=f"{event.full_name} (func)")
            self._events[event.full_name] = fn
            return fn

    def _inner(self, event: CompiledEvent) -> Callable:
        where = f"{event.full_name}: funcType is Inner"
        if not (event.element.directory / "inner.py").is_file():
            raise HandlerError(f"{where} but {event.element.rel(event.element.directory)}/inner.py is missing")
        module = self._import(event.full_name, where)
        fn = getattr(module, "customFunc", None)
        if fn is None:
            module = self._import(f"{event.full_name}.inner", where)
            fn = getattr(module, "customFunc", None)
        if not callable(fn):
            raise HandlerError(f"{where} but inner.py defines no function customFunc(eventOutData)")
        return fn

    def service(self, full_name: str) -> Any:
        """The instance of a service element's class (one per runtime)."""
        found = self._services.get(full_name)
        if found is not None:
            return found
        with self._lock:
            element = self._rt.project.get(full_name)
            if not isinstance(element, ServiceElement):
                known = ", ".join(s.full_name for s in self._rt.project.services) or "none"
                raise HandlerError(f"no service {full_name!r}; services: {known}")
            module = self._import(full_name, full_name)
            class_name = element.source.class_name or element.name
            cls = getattr(module, class_name, None) or getattr(module, element.name, None)
            if cls is None:
                module = self._import(f"{full_name}.service", full_name)
                cls = getattr(module, class_name, None)
            if not inspect.isclass(cls):
                raise HandlerError(f"{full_name}: service.py defines no class {class_name}")
            instance = cls()
            for attr, value in (("__fullName__", full_name), ("__title__", element.title)):
                if not getattr(instance, attr, ""):
                    setattr(instance, attr, value)
            self._services[full_name] = instance
            return instance

    def service_function(self, path: str, owner: str = "") -> Callable:
        service_name, _, fn_name = (path or "").rpartition(".")
        if not service_name or not fn_name:
            raise HandlerError(f"{owner or 'call'}: {path!r} is not a service function path like services.AuditSvc.logChange")
        instance = self.service(service_name)
        fn = getattr(instance, fn_name, None)
        if not callable(fn):
            raise HandlerError(f"{owner or path}: {service_name} has no function {fn_name!r}")
        return fn

    def _import(self, module_name: str, where: str):
        try:
            return importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and (exc.name == module_name or module_name.startswith(exc.name + ".")):
                raise HandlerError(f"{where}: cannot import {module_name} ({exc})") from exc
            raise
