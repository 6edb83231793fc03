"""Shared pieces of the runtime engine's tests: small apps written on disk, database URLs (the shop copy is in tests/conftest.py)."""
from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

PG_ENV = "JITSTUDIO_TEST_PG_URL"
_pg_state: dict[str, str | None] = {}


def pg_unavailable() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when they can."""
    if "reason" in _pg_state:
        return _pg_state["reason"]
    url = os.environ.get(PG_ENV)
    reason = None
    if not url:
        reason = f"${PG_ENV} is not set (CI starts a server with .ci/postgres.sh)"
    else:
        try:
            engine = create_engine(url)
            with engine.connect() as conn:
                conn.execute(text("select 1"))
            engine.dispose()
        except Exception as exc:  # noqa: BLE001 - any failure to connect is a reason to skip
            reason = f"PostgreSQL at ${PG_ENV} is unreachable: {exc.__class__.__name__}: {str(exc).splitlines()[0]}"
    _pg_state["reason"] = reason
    if reason:
        print(f"\nPostgreSQL tests skipped: {reason}")
    return reason


def pg_schema_url() -> str:
    """A fresh schema on the test server, as a URL whose search_path points at it."""
    base = os.environ[PG_ENV]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request):
    """None (SQLite in the app folder) or a PostgreSQL URL on a schema of its own."""
    if request.param == "sqlite":
        return None
    reason = pg_unavailable()
    if reason:
        pytest.skip(reason)
    return pg_schema_url()


def write(path: Path, text_or_data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text_or_data, (dict, list)):
        path.write_text(json.dumps(text_or_data, indent=2), encoding="utf-8")
    else:
        path.write_text(text_or_data, encoding="utf-8")


def make_app(root: Path, *, models: dict[str, str] | None = None, services: dict[str, tuple[dict, str]] | None = None,
             events: dict[str, tuple[dict, str | None]] | None = None, runtime: dict | None = None) -> Path:
    """An app folder: models {Name: field lines}, services {Name: (e.json extras, class body)},
    events {Name: (e.json, inner.py body or None)}."""
    write(root / "app.json", {"name": root.name, "title": root.name, "version": "0.1.0", "runtime": runtime or {}})
    for name, fields in (models or {}).items():
        write(root / "models" / name / "e.json", {"title": name, "type": "models.NormalType"})
        body = "\n".join("    " + line for line in fields.strip().splitlines())
        write(root / "models" / name / "model.py",
              "from datatypes.Meta import datatypes\nfrom models.NormalType import NormalModel\n\n\n"
              f"class {name}(NormalModel):\n    id = datatypes.AutoInt(name=\"id\", title=\"ID\", primaryKey=1, readOnly=1)\n{body}\n")
        write(root / "models" / name / "__init__.py", f"from .model import {name}\n")
    for name, (ejson, body) in (services or {}).items():
        write(root / "services" / name / "e.json", {"title": name, "type": "services.NormalType", **ejson})
        write(root / "services" / name / "service.py",
              "from services.NormalType import NormalService\n\n\n"
              f"class {name}(NormalService):\n" + "\n".join("    " + l for l in body.strip("\n").splitlines()) + "\n")
        write(root / "services" / name / "__init__.py", f"from .service import {name}\n")
    for name, (ejson, inner) in (events or {}).items():
        write(root / "events" / name / "e.json", {"title": name, "backendBundleEntry": ".", **ejson})
        if inner is not None:
            write(root / "events" / name / "inner.py", inner)
            write(root / "events" / name / "__init__.py", "from .inner import customFunc\n")
    return root


def records_of(rt, event: str, status: str | None = None) -> list:
    return rt.records.page(event=event, status=status, limit=1000).records


class QueueRecords:
    """The execution records as a queue sees them: runs record their success (`ran`), `flush` commits what
    was recorded, `job_succeeded` answers from what was committed."""

    def __init__(self):
        self.written: set[str] = set()
        self.committed: set[str] = set()
        self.abandoned: list[str] = []

    def ran(self, job_id):
        self.written.add(job_id)

    def flush(self):
        self.committed |= self.written

    def job_succeeded(self, job_id):
        return job_id in self.committed

    def fail_job_attempts(self, job_id):
        self.abandoned.append(job_id)
        return 1
