"""Sign-in with bearer tokens, and the records endpoint for tools. Real uvicorn, real HTTP."""
from __future__ import annotations

import time

import pytest

from _http_support import api, make_notes_app, served
from jitstudio.runtime.http import Access, TokenError, TokenStore, tokens

SIGN_IN = Access(sign_in=True)


@pytest.fixture(autouse=True)
def _default_database(monkeypatch):
    monkeypatch.delenv("JITSTUDIO_DB_URL", raising=False)


@pytest.fixture
def notes(tmp_path):
    return make_notes_app(tmp_path / "notes")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_calls_need_a_valid_token_and_a_revoked_one_stops_working(notes, monkeypatch):
    monkeypatch.setattr(tokens, "CHECKED_FOR", 0.3)
    lines: list[dict] = []
    with served(notes, SIGN_IN, lines) as (client, rt):
        store = TokenStore(rt.engine, {"ana", "bob"})
        info, token = store.create("ana", "laptop")
        missing = client.post(api("services/NoteSvc/whoami"), json={})
        assert missing.status_code == 401 and missing.json()["errname"] == "NOT_SIGNED_IN"
        assert missing.headers["www-authenticate"] == "Bearer"
        for wrong in (token[:-2] + "xx", "jit_999_" + token.split("_", 2)[2], "nonsense", "jit_1_"):
            assert client.post(api("services/NoteSvc/whoami"), json={}, headers=bearer(wrong)).status_code == 401
        assert client.post(api("services/NoteSvc/whoami"), json={}, headers={"Authorization": f"Basic {token}"}).status_code == 401
        assert client.post(api("services/NoteSvc/whoami"), json={}, headers=bearer(token)).json()["data"] == "ana"
        store.revoke(info.id)  # as another process would: the server trusts a token it checked for CHECKED_FOR
        time.sleep(0.4)
        assert client.post(api("services/NoteSvc/whoami"), json={}, headers=bearer(token)).status_code == 401
        with pytest.raises(TokenError, match="already revoked"):
            store.revoke(info.id)
    assert not any(token in str(line) for line in lines)
    assert [line["user"] for line in lines if line["status"] == 200] == ["ana"]


def test_the_tokens_user_is_the_one_app_code_sees_and_the_user_header_is_ignored(notes):
    with served(notes, SIGN_IN) as (client, rt):
        _, ana = TokenStore(rt.engine, {"ana", "bob"}).create("ana")
        seen = client.post(api("services/NoteSvc/whoami"), json={}, headers={**bearer(ana), "X-Jit-User": "bob"})
        assert seen.json()["data"] == "ana"
        header_only = client.post(api("services/NoteSvc/whoami"), json={}, headers={"X-Jit-User": "bob"})
        assert header_only.status_code == 401


def test_login_required_0_is_callable_without_a_token_and_nothing_else_is_told(notes):
    with served(notes, SIGN_IN) as (client, rt):
        assert client.post(api("services/NoteSvc/hello"), json={}).json()["data"] == "hello"
        assert client.post(api("models/Note/query"), json={}).status_code == 401
        unknown = client.post(api("services/NoteSvc/nothing"), json={})
        assert unknown.status_code == 401 and "nothing" not in unknown.json()["errmsg"]
        _, token = TokenStore(rt.engine).create("bob")
        assert client.post(api("services/NoteSvc/nothing"), json={}, headers=bearer(token)).status_code == 404
        assert client.get("/health").json() == {"app": "notes", "status": "running"}
        assert client.get("/ready").json()["data"]["status"] == "ready"


def test_the_records_endpoint_pages_with_its_cursor_and_shows_one_record(notes):
    with served(notes, SIGN_IN) as (client, rt):
        _, token = TokenStore(rt.engine).create("ana")
        for _ in range(5):
            client.post(api("services/NoteSvc/whoami"), json={}, headers=bearer(token))
        assert client.get("/api/records").status_code == 401
        rt.records.flush()
        seen, cursor, pages = [], None, 0
        while True:
            params = {"limit": 2, "event": "services.NoteSvc.whoami", "status": "success"}
            if cursor:
                params["cursor"] = cursor
            page = client.get("/api/records", params=params, headers=bearer(token)).json()["data"]
            seen += [r["id"] for r in page["records"]]
            assert all("input" not in r and r["status"] == "success" for r in page["records"])
            pages += 1
            cursor = page["next"]
            if cursor is None:
                break
        assert pages == 3 and len(seen) == 5 and seen == sorted(seen, reverse=True)
        detail = client.get(f"/api/records/{seen[0]}", headers=bearer(token)).json()["data"]
        assert detail["event"] == "services.NoteSvc.whoami" and detail["output"] == "ana"
        assert detail["children"] == [] and isinstance(detail["steps"], list)
        assert client.get("/api/records/999999", headers=bearer(token)).status_code == 404
        bad = client.get("/api/records", params={"status": "nope"}, headers=bearer(token))
        assert bad.status_code == 400 and "status" in bad.json()["errmsg"]
        assert client.get("/api/records", params={"cursor": "%%%"}, headers=bearer(token)).status_code == 400
        since = client.get("/api/records", params={"since": "2999-01-01T00:00:00Z"}, headers=bearer(token))
        assert since.json()["data"] == {"records": [], "next": None}
