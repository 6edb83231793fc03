"""The app's HTTP server under load (run by hand: python bench/bench_serve.py [--seconds N] [--only CASE ...]).

A tiny app with one cheap service call (`services.PingSvc.ping`, recorded like every call) is served by a
real process and driven by a raw asyncio HTTP/1.1 client in this process:

- throughput: 64 concurrent keep-alive clients for `--seconds` seconds: requests/s, p50 and p99 latency
  (a server that closes after each answer makes its client reconnect, and the reconnects are counted);
- burst: 2,000 clients connect at once and send one call each: how many connections were reset or refused
  (or got no answer within 30 s) instead of being answered.

Cases: `run` (`jitstudio run`, no sign-in), `serve1` and `serve2` (`jitstudio serve --workers 1|2`, with a
bearer token), and `old` (the server module of an earlier jitstudio copied to `--old-server DIR`, a folder
holding that version's `http/` package, run like `jitstudio run` was).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PATH = "/api/local/bench/services/PingSvc/ping"

OLD_SERVER_LAUNCHER = """
import importlib.util, sys
import jitstudio.runtime
spec = importlib.util.spec_from_file_location(
    "jitstudio.runtime.http_old", sys.argv[1] + "/http/__init__.py", submodule_search_locations=[sys.argv[1] + "/http"])
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module
spec.loader.exec_module(module)
from jitstudio.runtime import Runtime
runtime = Runtime(sys.argv[2])
try:
    log = module.JsonLines(sys.stdout)
    module.run_until_stopped(module.AppServer(runtime, "127.0.0.1", 0, log=log), log)
finally:
    runtime.close()
"""


def make_app(root: Path) -> Path:
    (root / "services" / "PingSvc").mkdir(parents=True)
    (root / "app.json").write_text(json.dumps({"name": "bench", "title": "bench", "version": "0.1.0",
                                               "runtime": {}}), encoding="utf-8")
    svc = root / "services" / "PingSvc"
    (svc / "e.json").write_text(json.dumps({"title": "Ping", "type": "services.NormalType", "backendBundleEntry": ".",
                                            "functionList": [{"name": "ping", "args": []}]}), encoding="utf-8")
    (svc / "service.py").write_text("from services.NormalType import NormalService\n\n\nclass PingSvc(NormalService):\n"
                                    "    def ping(self):\n        return {'pong': 1}\n", encoding="utf-8")
    (svc / "__init__.py").write_text("from .service import PingSvc\n", encoding="utf-8")
    return root


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "JITSTUDIO_DB_URL"}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


class Served:
    """A server process; its first stdout line says where it listens."""

    def __init__(self, command: list[str]):
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                     env=environment())
        assert self.proc.stdout is not None
        first = json.loads(self.proc.stdout.readline() or "{}")
        if first.get("event") != "listening":
            self.proc.kill()
            raise SystemExit(f"bench: {' '.join(command)} did not start: {first}")
        url = first["url"].removeprefix("http://")
        host, _, port = url.rpartition(":")
        self.host, self.port = host.strip("[]"), int(port)
        # The request log would block the server once the pipe fills: read it away.
        threading.Thread(target=lambda: [None for _ in self.proc.stdout], daemon=True).start()  # type: ignore[union-attr]

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


def request_bytes(host: str, port: int, token: str | None) -> bytes:
    body = b"{}"
    lines = [f"POST {PATH} HTTP/1.1", f"Host: {host}:{port}", "Content-Type: application/json",
             f"Content-Length: {len(body)}", "Connection: keep-alive"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """(status, whether the server keeps the connection open)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    version, status = lines[0].split(" ", 2)[:2]
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    length = int(headers.get("content-length", "0"))
    if length:
        await reader.readexactly(length)
    keep = headers.get("connection", "").lower() != "close" and version == "HTTP/1.1"
    return int(status), keep


async def throughput(host: str, port: int, token: str | None, clients: int, seconds: float) -> dict:
    payload = request_bytes(host, port, token)
    latencies: list[tuple[float, float]] = []  # (finished at, seconds taken)
    failures = {"errors": 0, "reconnects": 0, "non200": 0}

    async def client(deadline: float) -> None:
        reader = writer = None
        while time.perf_counter() < deadline:
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                started = time.perf_counter()
                writer.write(payload)
                status, keep = await read_answer(reader)  # type: ignore[arg-type]
                finished = time.perf_counter()
                latencies.append((finished, finished - started))
                failures["non200"] += status != 200
                if not keep:
                    writer.close()
                    reader = writer = None
                    failures["reconnects"] += 1
            except (OSError, asyncio.IncompleteReadError):
                failures["errors"] += 1
                writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(client(time.perf_counter() + 0.5) for _ in range(clients)))  # warm up
    latencies.clear()
    failures.update(errors=0, reconnects=0, non200=0)
    started = time.perf_counter()
    await asyncio.gather(*(client(started + seconds) for _ in range(clients)))
    # Requests still waiting at the deadline (a connect stuck in a full backlog) count in the latencies only.
    in_window = sum(1 for finished, _ in latencies if finished <= started + seconds)
    ordered = sorted(taken for _, taken in latencies)
    return {"requests": len(ordered), "rps": round(in_window / seconds),
            "p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
            "p99_ms": round(ordered[int(len(ordered) * 0.99)] * 1000, 1) if ordered else None, **failures}


async def burst(host: str, port: int, token: str | None, clients: int) -> dict:
    payload = request_bytes(host, port, token).replace(b"keep-alive", b"close")
    outcome = {"answered": 0, "reset": 0, "refused": 0, "timeout": 0, "other": 0}

    async def client() -> None:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 30)
            writer.write(payload)
            await asyncio.wait_for(read_answer(reader), 30)
            outcome["answered"] += 1
            writer.close()
        except ConnectionResetError:
            outcome["reset"] += 1
        except ConnectionRefusedError:
            outcome["refused"] += 1
        except asyncio.TimeoutError:
            outcome["timeout"] += 1
        except (OSError, asyncio.IncompleteReadError):
            outcome["other"] += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return {**outcome, "seconds": round(time.perf_counter() - started, 1)}


def token_for(app: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "jitstudio", "token", "create", str(app), "bench"],
                          capture_output=True, text=True, env=environment(), check=True)
    return json.loads(done.stdout)["token"]


def command(case: str, app: Path, old_server: Path | None) -> list[str]:
    jit = [sys.executable, "-m", "jitstudio"]
    if case == "run":
        return [*jit, "run", str(app), "--port", "0"]
    if case in ("serve1", "serve2"):
        return [*jit, "serve", str(app), "--port", "0", "--workers", case[-1]]
    if case == "old":
        if old_server is None:
            raise SystemExit("bench: the case 'old' needs --old-server DIR")
        return [sys.executable, "-c", OLD_SERVER_LAUNCHER, str(old_server), str(app)]
    raise SystemExit(f"bench: unknown case {case!r}")


def measure(case: str, args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory(prefix="jitstudio-bench-serve-") as tmp:
        app = make_app(Path(tmp) / "bench")
        token = token_for(app) if case.startswith("serve") else None
        served = Served(command(case, app, args.old_server))
        try:
            time.sleep(1.0)  # let every worker process finish starting
            result = {"case": case,
                      "throughput": asyncio.run(throughput(served.host, served.port, token, args.clients, args.seconds)),
                      "burst": asyncio.run(burst(served.host, served.port, token, args.burst))}
        finally:
            result_code = served.stop()
        result["exit"] = result_code
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="length of the throughput run (default 8)")
    parser.add_argument("--clients", type=int, default=64, help="keep-alive clients (default 64)")
    parser.add_argument("--burst", type=int, default=2000, help="clients connecting at once (default 2000)")
    parser.add_argument("--only", nargs="+", default=["run", "serve1", "serve2"], metavar="CASE",
                        help="cases to run: run, serve1, serve2, old (default: run serve1 serve2)")
    parser.add_argument("--old-server", type=Path, help="folder holding an earlier version's runtime/http package as http/")
    args = parser.parse_args(argv)
    for case in args.only:
        print(json.dumps(measure(case, args)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
