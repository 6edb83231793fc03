"""Request safety of the HTTP server: hosts, origins, content types, unreadable bodies, the opt-in of the
filter writes, and server faults answered without their internals. Real uvicorn, real HTTP."""
from __future__ import annotations

import logging
import socket

import pytest

from _http_support import JSON, api, make_notes_app, served
from jitstudio.runtime.http import Access


@pytest.fixture(autouse=True)
def _default_database(monkeypatch):
    monkeypatch.delenv("JITSTUDIO_DB_URL", raising=False)


@pytest.fixture
def notes(tmp_path):
    return make_notes_app(tmp_path / "notes", opt_in=True)


def _seed(client, n: int = 3) -> None:
    for i in range(n):
        assert client.post(api("models/Note/create"), json={"rowData": {"sku": f"s{i}"}}).json()["errcode"] == 0


def test_a_cross_origin_text_plain_post_to_delete_by_filter_is_refused_and_the_table_kept(notes):
    with served(notes) as (client, rt):
        _seed(client)
        forged = client.post(api("models/Note/deleteByFilter"), content=b'{"filter": null}',
                             headers={"Content-Type": "text/plain", "Origin": "http://evil.example"})
        assert forged.status_code == 403 and forged.json()["errname"] == "ORIGIN_NOT_ALLOWED"
        plain = client.post(api("models/Note/deleteByFilter"), content=b'{"filter": null}',
                            headers={"Content-Type": "text/plain"})
        assert plain.status_code == 415 and "application/json" in plain.json()["errmsg"]
        form = client.post(api("models/Note/deleteByFilter"), data={"filter": ""})
        assert form.status_code == 415
        assert rt.model("models.Note").count() == 3


def test_a_foreign_host_is_refused_and_loopback_names_answer(notes):
    with served(notes) as (client, _):
        port = client.base_url.port
        rebound = client.get("/health", headers={"Host": f"attacker.example:{port}"})
        assert rebound.status_code == 421 and rebound.json()["errname"] == "HOST_NOT_ALLOWED"
        call = client.post(api("services/NoteSvc/hello"), json={}, headers={"Host": "attacker.example"})
        assert call.status_code == 421
        for host in ("localhost", f"localhost:{port}", "127.0.0.1", f"[::1]:{port}", "LOCALHOST."):
            assert client.get("/health", headers={"Host": host}).status_code == 200, host
    with served(notes, Access(allowed_hosts=("app.example",))) as (client, _):
        assert client.get("/health", headers={"Host": "app.example:443"}).status_code == 200


def test_origins_the_server_is_started_with_get_cors_answers(notes):
    with served(notes, Access(allowed_origins=("https://admin.example",))) as (client, _):
        allowed = client.post(api("services/NoteSvc/hello"), json={}, headers={"Origin": "https://admin.example"})
        assert allowed.json()["data"] == "hello"
        assert allowed.headers["access-control-allow-origin"] == "https://admin.example"
        preflight = client.options(api("services/NoteSvc/hello"), headers={"Origin": "https://admin.example"})
        assert preflight.status_code == 204 and "Authorization" in preflight.headers["access-control-allow-headers"]
        assert client.post(api("services/NoteSvc/hello"), json={}, headers={"Origin": "https://other.example"}).status_code == 403
        port = client.base_url.port
        same = client.post(api("services/NoteSvc/hello"), json={}, headers={"Origin": f"http://127.0.0.1:{port}"})
        assert same.status_code == 200 and "access-control-allow-origin" not in same.headers


def test_filter_writes_need_the_models_opt_in(tmp_path, notes):
    closed = make_notes_app(tmp_path / "closed" / "notes")
    with served(closed) as (client, rt):
        _seed(client)
        for fn in ("deleteByFilter", "updateByFilter"):
            refused = client.post(api(f"models/Note/{fn}"), json={"filter": None, "updateData": {"text": "x"}}
                                  if fn == "updateByFilter" else {"filter": None})
            body = refused.json()
            assert refused.status_code == 403 and body["errname"] == "FORBIDDEN", body
            assert f'{{"name": "{fn}", "accessModifier": "public"}}' in body["errmsg"] and "models/Note/e.json" in body["errmsg"]
        assert rt.model("models.Note").count() == 3
        assert client.post(api("services/NoteSvc/hidden"), json={}).status_code == 403
    with served(notes) as (client, rt):
        _seed(client)
        changed = client.post(api("models/Note/updateByFilter"), json={"filter": "Q(Q('sku', '=', 's1'))",
                                                                       "updateData": {"text": "new"}})
        assert changed.json() == {"errcode": 0, "errmsg": "", "data": 1}
        moved = client.post(api("models/Note/updateByFilter"), json={"filter": None, "updateData": {"id": 99}})
        assert moved.json()["errname"] == "API_PARAMS_ERROR" and "primary key 'id'" in moved.json()["errmsg"]
        deleted = client.post(api("models/Note/deleteByFilter"), json={"filter": "Q(Q('sku', '=', 's0'))"})
        assert deleted.json()["data"] == 1 and rt.model("models.Note").count() == 2


def test_a_database_failure_answers_without_sql_and_logs_it_under_the_request_id(notes, caplog):
    caplog.set_level(logging.ERROR, logger="jitstudio.runtime.http")
    with served(notes) as (client, _):
        assert client.post(api("models/Note/create"), json={"rowData": {"sku": "dup"}}).json()["errcode"] == 0
        again = client.post(api("models/Note/create"), json={"rowData": {"sku": "dup", "text": "secret-param"}})
    body = again.json()
    assert again.status_code == 409 and body["errname"] == "DATA_CONFLICT", body
    request_id = again.headers["x-request-id"]
    assert request_id in body["errmsg"]
    for leak in ("INSERT", "UNIQUE constraint", "sqlite", "secret-param", "Traceback", "notes_Note", "models_Note"):
        assert leak.lower() not in body["errmsg"].lower(), leak
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged and "UNIQUE" in logged[0].getMessage() and logged[0].exc_info


def _raw(port: int, head: bytes, body: bytes = b"") -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
            if b"\r\n\r\n" in data and b'"errcode"' in data and data.rstrip().endswith(b"}"):
                break
    return int(data.split(b" ", 2)[1]), data


def test_bodies_the_server_cannot_read_are_400_never_500(notes):
    with served(notes) as (client, _):
        port = client.base_url.port
        path = api("services/NoteSvc/hello").encode()
        for length in (b"-5", b"abc"):
            status, data = _raw(port, b"POST " + path + b" HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                b"Content-Length: " + length + b"\r\n\r\n", b"{}")
            assert status == 400 and b"BAD_REQUEST" in data and b"Content-Length" in data, data
        nested = client.post(api("services/NoteSvc/hello"), content=b"[" * 100_000 + b"]" * 100_000, headers=JSON)
        assert nested.status_code == 400 and "nested too deeply" in nested.json()["errmsg"]
        broken = client.post(api("services/NoteSvc/hello"), content=b'{"a": ', headers=JSON)
        assert broken.status_code == 400 and "not valid JSON" in broken.json()["errmsg"]
        assert client.post(api("services/NoteSvc/hello"), content=b"\xff\xfe", headers=JSON).status_code == 400
        assert client.post(api("services/NoteSvc/hello"), json={}).json()["data"] == "hello"


def test_a_body_over_the_limit_is_413_whether_announced_or_streamed(notes):
    with served(notes, Access(max_body=1000)) as (client, _):
        too_big = client.post(api("services/NoteSvc/hello"), content=b'{"a": "' + b"x" * 2000 + b'"}', headers=JSON)
        assert too_big.status_code == 413 and too_big.json()["errname"] == "TOO_LARGE"
        streamed = client.post(api("services/NoteSvc/hello"), content=iter([b'{"a": "', b"x" * 2000, b'"}']), headers=JSON)
        assert streamed.status_code == 413
