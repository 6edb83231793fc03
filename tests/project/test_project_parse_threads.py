"""Reading app code on several threads at once (the IDE loads apps off the GUI thread) leaves the process's
warnings settings as they were: no filter of the parser's leaks into the rest of the program."""
import threading
import warnings

from jitstudio.project.pysource import syntax_issue

CODE = 'import re\npattern = re.compile("\\d+")  # an invalid escape: the parser warns about the app\'s code\n'


def test_parsing_on_many_threads_leaves_the_warnings_filters_alone():
    filters = list(warnings.filters)
    start = threading.Barrier(8)

    def parse_many():
        start.wait()
        for _ in range(3000):
            assert syntax_issue(CODE, "events/X/inner.py") is None

    threads = [threading.Thread(target=parse_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert warnings.filters == filters
