"""Async events: the outbox in the app's database, its payload codec, and the worker that drains it."""
from .codec import dumps, loads, model_event_ref
from .store import Outbox
from .worker import BATCH, OutboxWorker, RunItem

__all__ = ["BATCH", "Outbox", "OutboxWorker", "RunItem", "dumps", "loads", "model_event_ref"]
