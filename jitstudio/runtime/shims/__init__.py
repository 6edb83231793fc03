"""JitAI import names for app code (`services.NormalType`, `events.Meta`, `datatypes.Meta`, `globals`, `jit.*`)."""
from .context import activate, bind, current_runtime, current_user, deactivate, set_user, unbind
from .finder import FINDER, AppImportFinder, install
from .platform import Code, GlobalVar, JitEvent, NormalModel, NormalService, log

__all__ = [
    "FINDER", "AppImportFinder", "Code", "GlobalVar", "JitEvent", "NormalModel", "NormalService", "activate", "bind",
    "current_runtime", "current_user", "deactivate", "install", "log", "set_user", "unbind",
]
