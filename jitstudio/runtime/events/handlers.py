"""Finding the app code the runtime runs: an Inner event's `customFunc`, a service function (`services.Svc.fn`),
or a custom function of a model's class (`models.Order.fn`)."""
from __future__ import annotations

import importlib
import inspect
import threading
from typing import Any, Callable

from ...errors import AppError
from ...project import ModelElement, Project, ServiceElement
from .index import CompiledEvent


class HandlerError(AppError, LookupError):
    """The code an event or call names does not exist; says what is missing and where."""


class Handlers:
    """Handler callables and service instances of one runtime, loaded on first use."""

    def __init__(self, project: Project):
        self._project = project
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
            element = self._project.get(full_name)
            if not isinstance(element, ServiceElement):
                known = ", ".join(s.full_name for s in self._project.services) or "none"
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

    def model_function(self, element: ModelElement, api: Any, fn: str) -> Callable[..., Any]:
        """A custom function of model.py's class, bound so that `cls`/`self` reaches the model's data API
        (`cls.query(...)`) as well as the class's own attributes."""
        path = f"{element.full_name}.{fn}"
        try:
            module = importlib.import_module(element.full_name)
            cls = getattr(module, element.source.class_name or element.name, None)
            if cls is None:
                module = importlib.import_module(f"{element.full_name}.model")
                cls = getattr(module, element.source.class_name or element.name)
            raw = inspect.getattr_static(cls, fn)
        except Exception as exc:  # noqa: BLE001 - the app's code cannot be loaded: say why, whatever it is
            raise HandlerError(f"{path} is declared but model.py has no such function ({exc})") from exc
        if isinstance(raw, staticmethod):
            return raw.__func__
        function = raw.__func__ if isinstance(raw, classmethod) else raw
        if not callable(function):
            raise HandlerError(f"{path} is declared but {cls.__name__}.{fn} is not a function")
        owner = _ModelSelf(api, cls)
        return lambda **kwargs: function(owner, **kwargs)

    def _import(self, module_name: str, where: str):
        try:
            return importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and (exc.name == module_name or module_name.startswith(exc.name + ".")):
                raise HandlerError(f"{where}: cannot import {module_name} ({exc})") from exc
            raise


class _ModelSelf:
    """`cls` or `self` inside a model function: the data API first, then the model class's attributes."""

    def __init__(self, api: Any, cls: type):
        self._api, self._cls = api, cls

    def __getattr__(self, name: str) -> Any:
        try:
            return getattr(self._api, name)
        except AttributeError:
            return getattr(self._cls, name)
