"""Secrets kept out of everything stored or shown: execution records, messages, server answers.

`redact(text)` replaces bearer tokens, `api_key=…`/`"authorization": …`-style values, OpenAI-style keys and
every value registered with `remember_secret` (an agent's API key, once its provider is made)."""
from __future__ import annotations

import re
import threading

__all__ = ["REDACTED", "redact", "remember_secret"]

REDACTED = "[redacted]"
_MIN_SECRET = 8
_PATTERNS = (
    (re.compile(r"(?i)\b(bearer|basic|token)(\s+)[A-Za-z0-9._~+/=:-]{8,}"), rf"\1\2{REDACTED}"),
    (re.compile(r"""(?ix)\b((?:x-)?api[_-]?key|access[_-]?token|auth[_-]?token|secret|password|passwd|authorization)
                    (["']?\s*[:=]\s*["']?)(?!\[redacted\])([^\s"'&,;}]{4,})"""), rf"\1\2{REDACTED}"),
    (re.compile(r"\b(sk|pk|rk)-[A-Za-z0-9_-]{12,}"), rf"\1-{REDACTED}"),
)
_known: set[str] = set()
_lock = threading.Lock()
_known_pattern: re.Pattern[str] | None = None


def remember_secret(value: str | None) -> None:
    """Redact this exact value wherever it appears from now on (short values are ignored: they would
    redact ordinary words)."""
    global _known_pattern
    if not value or len(value) < _MIN_SECRET or value in _known:
        return
    with _lock:
        _known.add(value)
        _known_pattern = re.compile("|".join(re.escape(v) for v in sorted(_known, key=len, reverse=True)))


def redact(text: str) -> str:
    known = _known_pattern
    if known is not None:
        text = known.sub(REDACTED, text)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
