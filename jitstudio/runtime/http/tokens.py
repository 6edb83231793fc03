"""Sign-in tokens of the app's HTTP API: one bearer token per user (or several, each with a label), kept in
the app's data database (`jit_api_token`) as the sha256 of its secret, never as the token itself.

A token reads `jit_<id>_<secret>`: the id finds the row, the secret is compared in constant time with the
stored hash. `create` is the only moment the token exists in full.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData, insert, select, update

from ...errors import UserError
from ..data import internal_tables

if TYPE_CHECKING:
    from sqlalchemy import Engine

_TOKEN = re.compile(r"jit_([0-9]{1,18})_([A-Za-z0-9_-]{20,100})")
CHECKED_FOR = 2.0  # seconds a token that signed in is trusted without looking it up again
_MAX_RECENT = 10_000


class TokenError(UserError, ValueError):
    """A token cannot be made or revoked as asked (an unknown user, no such token)."""


@dataclass(frozen=True)
class TokenInfo:
    id: int
    user: str
    name: str
    created_at: float
    revoked_at: float | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "user": self.user, "name": self.name, "createdAt": _iso(self.created_at),
                "revoked": self.revoked_at is not None, "revokedAt": _iso(self.revoked_at)}


def _iso(seconds: float | None) -> str | None:
    return None if seconds is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class TokenStore:
    """The tokens of one app over its data database's engine. `users`: the names app.json declares (empty:
    any user name may get a token)."""

    def __init__(self, engine: "Engine", users: frozenset[str] | set[str] = frozenset()):
        self._engine = engine
        self._users = frozenset(users)
        self.table = internal_tables(MetaData())["api_token"]
        self.table.create(engine, checkfirst=True)
        self._recent: dict[str, tuple[str, float]] = {}

    def create(self, user: str, name: str = "") -> tuple[TokenInfo, str]:
        """A new token for `user`: its description and the token text, which is not stored anywhere."""
        user = user.strip()
        if not user:
            raise TokenError("a token needs a user name")
        if self._users and user not in self._users:
            raise TokenError(f"{user!r} is not a user of this app; app.json lists: {', '.join(sorted(self._users))}")
        secret = secrets.token_urlsafe(32)
        created = time.time()
        with self._engine.begin() as conn:
            inserted = conn.execute(insert(self.table).values(
                user=user, name=name, secret_sha256=_digest(secret), created_at=created)).inserted_primary_key
            ident = int(inserted[0]) if inserted else 0
        return TokenInfo(ident, user, name, created, None), f"jit_{ident}_{secret}"

    def list(self) -> list[TokenInfo]:
        t = self.table
        with self._engine.connect() as conn:
            rows = conn.execute(select(t.c.id, t.c.user, t.c.name, t.c.created_at, t.c.revoked_at).order_by(t.c.id))
            return [TokenInfo(*row) for row in rows]

    def revoke(self, token_id: int) -> TokenInfo:
        t = self.table
        with self._engine.begin() as conn:
            done = conn.execute(update(t).where(t.c.id == token_id, t.c.revoked_at.is_(None)).values(revoked_at=time.time()))
            row = conn.execute(select(t.c.id, t.c.user, t.c.name, t.c.created_at, t.c.revoked_at)
                               .where(t.c.id == token_id)).first()
        if row is None:
            raise TokenError(f"there is no token {token_id}; `jitstudio token list DIR` shows them")
        if not done.rowcount:
            raise TokenError(f"token {token_id} was already revoked")
        self._recent.clear()
        return TokenInfo(*row)

    def user_of(self, token: str) -> str | None:
        """The user a presented token signs in, or None when it is malformed, unknown or revoked. A token
        that signed in is trusted again for CHECKED_FOR seconds without a database lookup, so a revocation
        made by another process takes effect within that time (in this process, at once)."""
        key = _digest(token)
        recent = self._recent.get(key)
        if recent is not None and recent[1] > time.monotonic():
            return recent[0]
        user = self._look_up(token)
        if user is not None:
            if len(self._recent) >= _MAX_RECENT:
                self._recent.clear()
            self._recent[key] = (user, time.monotonic() + CHECKED_FOR)
        return user

    def _look_up(self, token: str) -> str | None:
        match = _TOKEN.fullmatch(token.strip())
        if match is None:
            return None
        t = self.table
        with self._engine.connect() as conn:
            row = conn.execute(select(t.c.user, t.c.secret_sha256, t.c.revoked_at)
                               .where(t.c.id == int(match.group(1)))).first()
        # Compared even for a missing row, so an unknown id costs what a wrong secret costs.
        stored = row.secret_sha256 if row is not None else "0" * 64
        if not hmac.compare_digest(stored, _digest(match.group(2))) or row is None or row.revoked_at is not None:
            return None
        if self._users and row.user not in self._users:
            return None
        return str(row.user)
