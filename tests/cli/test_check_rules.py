"""`jitstudio check` reports the rules the IDE's forms enforce, located in the file that breaks them."""
import shutil

from jitstudio import cli
from jitstudio.cli._project import examples_dir
from jitstudio.project.rules import async_problem


def copy_of_shop(tmp_path):
    return shutil.copytree(examples_dir() / "shop", tmp_path / "shop", ignore=shutil.ignore_patterns(".jitstudio", "__pycache__"))


def replace_once(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_check_reports_the_form_rules_as_located_warnings(tmp_path, capsys):
    shop = copy_of_shop(tmp_path)
    replace_once(shop / "events/FillOrderNo/e.json", '"asyncType": false', '"asyncType": true')
    replace_once(shop / "events/RefundNodeHandled/e.json", '["agree", "refuse", "reject"]', "[]")
    replace_once(shop / "events/OrderStatusAudit/e.json", '"Audit order status changes"', '""')

    code = cli.main(["check", str(shop)])
    out, err = capsys.readouterr()

    assert code == 0
    assert out.splitlines() == [
        f"events/FillOrderNo/e.json:9:16: warning: {async_problem('model', 'AddBefore')}",
        "events/OrderStatusAudit/e.json:2:12: warning: give the event a title",
        "events/RefundNodeHandled/e.json:7:17: warning: pick at least one action; a NodeHandled event without "
        "handleType fires after every action",
    ]
    assert "0 errors, 3 warnings" in err


def test_check_fails_on_a_service_that_lists_a_function_twice(tmp_path, capsys):
    shop = copy_of_shop(tmp_path)
    replace_once(shop / "services/OrderSvc/e.json", '"name": "payOrder"', '"name": "placeOrder"')

    code = cli.main(["check", str(shop)])
    out, _err = capsys.readouterr()

    assert code == 1
    assert out.splitlines() == ["services/OrderSvc/e.json:32:15: function 'placeOrder' appears twice"]
