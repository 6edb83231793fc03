"""pysource.function_source: the exact text of one function or method, found by its qualified name with libcst."""
from jitstudio.project import load_project
from jitstudio.project.files import TextFile
from jitstudio.project.pysource import function_source

SOURCE = '''from services.NormalType import NormalService


def helper(x):
    return x


class Billing(NormalService):
    """Bills."""

    rate = 2

    @staticmethod
    @cached(ttl=60)
    def total(items):
        # the sum of the lines
        return sum(items)
        # kept: indented under the method

    # about the next method, not part of total
    def note(self):
        text = """
a line at column 0 inside a string
"""
        return text

    class Lines:
        def total(self):
            return 0

    def last(self):
        return self.Lines().total()
'''


def test_a_method_with_its_decorators_and_inner_comments():
    assert function_source(SOURCE, "Billing.total") == (
        "    @staticmethod\n"
        "    @cached(ttl=60)\n"
        "    def total(items):\n"
        "        # the sum of the lines\n"
        "        return sum(items)\n"
        "        # kept: indented under the method\n")


def test_a_string_at_column_0_stays_inside_its_method():
    assert function_source(SOURCE, "Billing.note") == (
        "    def note(self):\n"
        '        text = """\n'
        "a line at column 0 inside a string\n"
        '"""\n'
        "        return text\n")


def test_nested_classes_are_reached_by_qualified_name():
    assert function_source(SOURCE, "Billing.Lines.total") == "        def total(self):\n            return 0\n"
    assert function_source(SOURCE, "Billing.last") == "    def last(self):\n        return self.Lines().total()\n"
    assert function_source(SOURCE, "helper") == "def helper(x):\n    return x\n"


def test_crlf_gives_the_same_text_with_plain_newlines():
    crlf = SOURCE.replace("\n", "\r\n")

    for name in ("Billing.total", "Billing.note", "Billing.Lines.total", "helper"):
        assert function_source(crlf, name) == function_source(SOURCE, name)


def test_a_method_at_the_end_of_a_file_without_a_newline():
    assert function_source(SOURCE.rstrip("\n"), "Billing.last") == "    def last(self):\n        return self.Lines().total()\n"
    assert function_source("def f():\n    return 1  ", "f") == "def f():\n    return 1\n"


def test_what_is_not_a_function_is_none():
    assert function_source(SOURCE, "Billing.missing") is None
    assert function_source(SOURCE, "Billing") is None
    assert function_source(SOURCE, "Billing.rate") is None
    assert function_source(SOURCE, "Nope.total") is None
    assert function_source("def broken(:\n", "broken") is None


def test_the_shop_service_method_the_event_page_shows(shop):
    service = load_project(shop).get("services.OrderSvc")
    text = TextFile.read(service.directory / "service.py").text

    source = function_source(text, "OrderSvc.auditChange")

    assert source.startswith("    def auditChange(self, eventOutData):\n") and source.endswith("\n")
    assert "def payOrder" not in source
    line = service.methods["auditChange"].line
    assert source.splitlines() == text.splitlines()[line - 1 : line - 1 + len(source.splitlines())]
