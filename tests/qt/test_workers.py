"""Background work on superqt workers: results and tracebacks come back on the GUI thread; the record
browser's tasks run on its own pool, a dropped ticket's result is thrown away, and long tasks see the cancel
event and report progress; many workers at once leave the process's warnings settings alone."""
import threading
import time
import warnings

from jitstudio.qt.records._tasks import RecordsBackend
from jitstudio.qt.workers import run_in_thread, wait_for_workers

WAIT_MS = 5000
MAIN = threading.main_thread()


def test_run_in_thread_brings_the_result_to_the_gui_thread(qtbot):
    ran_on, got = [], []
    run_in_thread(lambda: ran_on.append(threading.current_thread()) or 42,
                  lambda result: got.append((result, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(got), timeout=WAIT_MS)
    assert got == [(42, MAIN)] and ran_on[0] is not MAIN
    assert wait_for_workers()


def test_run_in_thread_reports_the_traceback(qtbot):
    failed = []
    run_in_thread(lambda: 1 / 0, lambda _result: failed.append("done"), failed.append)
    qtbot.waitUntil(lambda: bool(failed), timeout=WAIT_MS)
    assert failed[0].startswith("Traceback") and "ZeroDivisionError" in failed[0]


def _backend(tmp_path, qtbot) -> tuple[RecordsBackend, list]:
    backend = RecordsBackend(tmp_path)
    threads = []
    backend.store = lambda: threads.append(threading.current_thread()) or "store"
    return backend, threads


def test_store_tasks_run_on_the_pool_and_answer_on_the_gui_thread(qtbot, tmp_path):
    backend, threads = _backend(tmp_path, qtbot)
    got, failed = [], []
    backend.submit(lambda store: store.upper(), lambda result: got.append((result, threading.current_thread())))
    backend.submit(lambda store: {}["missing"], got.append, failed.append)
    qtbot.waitUntil(lambda: not backend.busy(), timeout=WAIT_MS)
    assert got == [("STORE", MAIN)] and MAIN not in threads
    assert "KeyError: 'missing'" in failed[0]
    backend.close()


def test_a_dropped_tickets_result_is_thrown_away(qtbot, tmp_path):
    backend, _threads = _backend(tmp_path, qtbot)
    started, go, got = threading.Event(), threading.Event(), []

    def slow(store):
        started.set()
        go.wait(WAIT_MS / 1000)
        return "late"

    ticket = backend.submit(slow, got.append, got.append)
    assert started.wait(WAIT_MS / 1000)
    ticket.drop()
    assert ticket.cancel.is_set() and not ticket.pending
    go.set()
    qtbot.waitUntil(lambda: not backend.busy(), timeout=WAIT_MS)
    qtbot.wait(50)
    assert got == []
    backend.close()


def test_long_tasks_report_progress_and_stop_when_cancelled(qtbot, tmp_path):
    backend, _threads = _backend(tmp_path, qtbot)
    progress, got = [], []

    def count(store, ticket):
        done = 0
        while not ticket.cancel.is_set() and done < 1_000_000:
            done += 1
            if done % 100 == 0:
                ticket.progress(done, 1_000_000)
            if done == 300:
                ticket.cancel.set()
        return done

    backend.submit(count, got.append, on_progress=lambda d, t: progress.append(d), with_ticket=True)
    qtbot.waitUntil(lambda: bool(got), timeout=WAIT_MS)
    assert got == [300] and progress == [100, 200, 300]
    backend.close()


def test_a_closed_backend_runs_nothing(qtbot, tmp_path):
    backend, threads = _backend(tmp_path, qtbot)
    backend.close()
    ticket = backend.submit(lambda store: "never")
    assert not ticket.pending and ticket.cancel.is_set()
    qtbot.wait(50)
    assert threads == [] and not backend.busy()


def test_workers_at_once_leave_the_warnings_settings_alone(qtbot, tmp_path):
    show, filters = warnings.showwarning, list(warnings.filters)
    backend, _threads = _backend(tmp_path, qtbot)
    done = []
    for _ in range(200):
        backend.submit(lambda store: time.sleep(0.001), done.append)
        run_in_thread(lambda: time.sleep(0.001), done.append)
    qtbot.waitUntil(lambda: len(done) == 400, timeout=20_000)
    assert warnings.showwarning is show and warnings.filters == filters
    backend.close()
