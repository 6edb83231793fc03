"""A runtime process stopped from the IDE: the executions it left running are closed as failed at once, with the
reason, and those of other processes are left alone."""
import subprocess
import sys
import textwrap
from pathlib import Path

from jitstudio.runtime.records import RecordStore

ROOT = Path(__file__).resolve().parents[2]


def test_the_running_executions_of_a_stopped_process_are_failed_with_the_reason(tmp_path):
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from jitstudio.runtime.records import RecordStore
        store = RecordStore(app_dir=sys.argv[1])
        done = store.begin(event="events.Done", input=None)
        store.finish(done, status="success")
        store.begin(event="events.Stopped", input=None)
        store.flush()
        print(os.getpid(), flush=True)
        os._exit(0)
    """)
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, timeout=60,
                         capture_output=True, text=True)
    pid = int(run.stdout.split()[-1])
    with RecordStore(app_dir=tmp_path) as store:
        mine = store.begin(event="events.Mine", input=None)
        [stopped_id] = store.fail_stopped(pid, "Stopped: the run was stopped from the IDE")
        stopped = store.get(stopped_id)
        assert stopped.event == "events.Stopped" and stopped.status == "fail"
        assert stopped.error == "Stopped: the run was stopped from the IDE"
        assert stopped.duration_ms is not None and stopped.duration_ms >= 0
        [done] = store.page(event="events.Done").records
        assert done.status == "success" and done.error is None
        assert store.get(mine).status == "running"
        assert store.fail_stopped(pid, "again") == []
