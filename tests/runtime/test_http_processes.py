"""`jitstudio serve --workers 2` and `jitstudio token` as real processes; the refusal to serve a network
address without sign-in."""
from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest

from _http_support import api, make_notes_app

WAIT = 30


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "JITSTUDIO_DB_URL"}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def jitstudio(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jitstudio", *args], capture_output=True, text=True,
                          timeout=WAIT * 2, env=_env())


@pytest.fixture
def notes(tmp_path):
    return make_notes_app(tmp_path / "notes")


def test_serving_a_network_address_without_sign_in_is_refused(notes):
    done = jitstudio("run", str(notes), "--host", "0.0.0.0", "--port", "0")
    assert done.returncode == 2 and "without sign-in" in done.stderr and "--auth token" in done.stderr
    assert done.stdout == ""


def test_tokens_are_made_listed_and_revoked_from_the_command_line(notes):
    made = jitstudio("token", "create", str(notes), "ana", "--name", "ci")
    assert made.returncode == 0, made.stderr
    token = json.loads(made.stdout)
    assert token["token"].startswith(f"jit_{token['id']}_") and token["user"] == "ana" and token["name"] == "ci"
    listed = jitstudio("token", "list", str(notes))
    assert json.loads(listed.stdout) == [{k: v for k, v in token.items() if k != "token"}]
    assert token["token"] not in listed.stdout
    assert not any(token["token"].split("_", 2)[2] in p.read_bytes().decode("latin-1")
                   for p in notes.rglob("*") if p.is_file() and ".jitstudio" not in p.parts)
    assert json.loads(jitstudio("token", "revoke", str(notes), str(token["id"])).stdout)["revoked"] is True
    unknown_user = jitstudio("token", "create", str(notes), "mallory")
    assert unknown_user.returncode == 2 and "ana, bob" in unknown_user.stderr
    assert jitstudio("token", "revoke", str(notes), "42").returncode == 2


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is a POSIX signal")
def test_serve_with_two_workers_answers_ready_and_calls_and_stops_on_sigterm(notes):
    token = json.loads(jitstudio("token", "create", str(notes), "bob").stdout)["token"]
    proc = subprocess.Popen([sys.executable, "-m", "jitstudio", "serve", str(notes), "--port", "0", "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    lines: queue.Queue[dict] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(json.loads(line)) for line in proc.stdout], daemon=True).start()
    try:
        first = lines.get(timeout=WAIT)
        assert first["event"] == "listening" and first["workers"] == 2 and first["signIn"] is True
        with httpx.Client(base_url=first["url"], timeout=WAIT) as client:
            deadline = time.monotonic() + WAIT
            while client.get("/ready").status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.2)
            assert client.get("/ready").json()["data"]["status"] == "ready"
            signed = {"Authorization": f"Bearer {token}"}
            answers = [client.post(api("services/NoteSvc/whoami"), json={}, headers=signed).json() for _ in range(6)]
            assert all(a == {"errcode": 0, "errmsg": "", "data": "bob"} for a in answers)
            assert client.post(api("services/NoteSvc/whoami"), json={}).status_code == 401
            created = client.post(api("models/Note/create"), json={"rowData": {"sku": "a"}}, headers=signed).json()
            assert created["errcode"] == 0
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(WAIT)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert code == 0, proc.stderr.read()
    seen = []
    while not lines.empty():
        seen.append(lines.get_nowait())
    workers = {line["pid"] for line in seen if line["event"] == "worker-stopped"}
    assert len(workers) == 2
    assert seen[-1] == {"event": "stopped", "signal": "SIGTERM", "workers": 2, "requestsFinished": True,
                        "drained": True, "pendingAsync": 0}
    requests = [line for line in seen if line["event"] == "request" and line["path"].endswith("/whoami")]
    assert [line["user"] for line in requests if line["status"] == 200] == ["bob"] * 6
