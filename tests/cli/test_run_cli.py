"""`jitstudio run DIR`: the app as a real server process, called over HTTP, stopped with SIGTERM."""
from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from jitstudio.runtime import Runtime
from jitstudio.runtime.records import RecordStore

WAIT = 20


@pytest.fixture
def shop(shop) -> Path:
    """The shop copy with one more async event that takes a moment, so a stop finds it unfinished."""
    slow = shop / "events" / "SlowPaidNotice"
    slow.mkdir()
    (slow / "e.json").write_text(json.dumps({
        "title": "Slow payment notice", "type": "events.ModelType", "sender": "models.Order", "operate": "UpdateAfter",
        "fields": ["status"], "filter": "Q(Q('status', '=', 'paid'))", "funcType": "Inner", "asyncType": True,
        "enable": 1, "backendBundleEntry": "."}), encoding="utf-8")
    (slow / "inner.py").write_text("import time\n\n\ndef customFunc(eventOutData):\n    time.sleep(1.0)\n"
                                   "    return eventOutData.postData.value.get('orderNo')\n", encoding="utf-8")
    (slow / "__init__.py").write_text("from .inner import customFunc\n", encoding="utf-8")
    return shop


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "JITSTUDIO_DB_URL"}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


class Served:
    """`python -m jitstudio run DIR --port 0` with its stdout read line by line in a thread."""

    def __init__(self, app: Path):
        self.proc = subprocess.Popen([sys.executable, "-m", "jitstudio", "run", str(app), "--port", "0"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
        self.lines: queue.Queue[dict] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        first = self.next_line()
        assert first["event"] == "listening", first
        self.url = first["url"]

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def next_line(self) -> dict:
        try:
            return self.lines.get(timeout=WAIT)
        except queue.Empty:
            self.proc.kill()
            raise AssertionError(f"no output from jitstudio run; stderr: {self.proc.stderr.read()}") from None

    def call(self, path: str, body: dict) -> dict:
        req = urllib.request.Request(f"{self.url}/api/local/shop/{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=WAIT) as resp:
            return json.loads(resp.read())

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(WAIT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is a POSIX signal")
def test_run_serves_the_app_and_a_sigterm_drains_async_events(shop):
    served = Served(shop)
    try:
        assert served.url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(served.url + "/health", timeout=WAIT) as resp:
            assert json.loads(resp.read())["app"] == "shop"
        customer = served.call("models/Customer/create", {"rowData": {"name": "Ann", "email": "ann@x.org"}})["data"]
        order = served.call("models/Order/create", {"rowData": {"customerId": customer["id"], "amount": 20}})["data"]
        assert order["orderNo"].startswith("SO")
        paid = served.call("services.OrderSvc/payOrder", {"orderId": order["id"]})
        assert paid["errcode"] == 0 and paid["data"]["status"] == "paid"
        refused = served.call("services/OrderSvc/payOrder", {"orderId": order["id"], "tip": 1})
        assert refused["errname"] == "API_PARAMS_ERROR" and "'tip'" in refused["errmsg"]
    finally:
        code = served.stop()
    assert code == 0, served.proc.stderr.read()
    lines = []
    while not served.lines.empty():
        lines.append(served.lines.get_nowait())
    requests = [line for line in lines if line["event"] == "request"]
    assert [(r["method"], r["status"], r["errcode"] if "errcode" in r else None) for r in requests] == [
        ("GET", 200, None), ("POST", 200, 0), ("POST", 200, 0), ("POST", 200, 0), ("POST", 200, 10002)]
    assert all(isinstance(r["ms"], float) for r in requests)
    assert lines[-1] == {"event": "stopped", "signal": "SIGTERM", "requestsFinished": True, "drained": True,
                         "pendingAsync": 0}
    with RecordStore(app_dir=shop) as store:
        for event in ("events.SlowPaidNotice", "events.OrderPaidNotify"):
            assert [r.status for r in store.page(event=event).records] == ["success"], event
    with Runtime(shop, async_worker=False) as rt:
        assert rt.pending_async() == 0


def test_run_refuses_what_it_cannot_open_with_status_2(tmp_path, shop):
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "jitstudio", "run", *args], capture_output=True, text=True,
                              timeout=WAIT * 3, env=_env())

    missing = run(str(tmp_path / "nothing"), "--port", "0")
    assert missing.returncode == 2 and "no app.json" in missing.stderr and missing.stdout == ""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = run(str(shop), "--port", str(busy.getsockname()[1]))
    assert taken.returncode == 2 and "cannot listen on 127.0.0.1" in taken.stderr and "--port" in taken.stderr
    assert run(str(shop), "--port", "70000").returncode == 2
