"""`jitstudio token create|list|revoke DIR`: the bearer tokens users sign in with to `jitstudio serve` (and
`jitstudio run --auth token`). Tokens live, hashed, in the app's data database; `create` prints the token
once, as JSON, and it cannot be shown again."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ._common import print_json
from ..errors import UserError

if TYPE_CHECKING:
    from ..runtime.http.tokens import TokenStore


def _store(args) -> TokenStore:
    from ..project import load_project
    from ..runtime.data import make_engine, resolve_db_url
    from ..runtime.http.tokens import TokenStore

    root = Path(args.dir).resolve()
    if not (root / "app.json").is_file():
        raise UserError(f"{root} is not an app folder (it has no app.json)")
    project = load_project(root)
    app = project.app
    url, _origin = resolve_db_url(root, args.db, app.runtime.db if app else None)
    return TokenStore(make_engine(url), {u.name for u in (app.users if app else [])})


def cmd_token(args) -> int:
    try:
        store = _store(args)
        if args.action == "create":
            info, token = store.create(args.user, args.name or "")
            print_json({**info.to_json(), "token": token})
            print("jitstudio: keep this token now; it is stored only as a hash and cannot be shown again",
                  file=sys.stderr)
        elif args.action == "list":
            print_json([t.to_json() for t in store.list()])
        else:
            print_json(store.revoke(args.id).to_json())
        return 0
    except UserError as exc:
        print(f"jitstudio: {exc}", file=sys.stderr)
        return 2


def register(subparsers) -> None:
    token = subparsers.add_parser("token", help="bearer tokens for signing in to the app's HTTP API",
                                  description="Tokens for `jitstudio serve` and `jitstudio run --auth token`.")
    actions = token.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="a new token for a user, printed once")
    create.add_argument("dir", metavar="DIR", help="the app folder")
    create.add_argument("user", metavar="USER", help="the user the token signs in (one of app.json's users, if it lists any)")
    create.add_argument("--name", metavar="LABEL", help="what the token is for, e.g. 'billing-sync'")
    listing = actions.add_parser("list", help="every token: id, user, label, created, revoked (never the token)")
    listing.add_argument("dir", metavar="DIR", help="the app folder")
    revoke = actions.add_parser("revoke", help="stop a token from signing in")
    revoke.add_argument("dir", metavar="DIR", help="the app folder")
    revoke.add_argument("id", metavar="ID", type=int, help="the token's id (see `token list`)")
    for sub in (create, listing, revoke):
        sub.add_argument("--db", metavar="URL", help="database URL, as for `jitstudio run`")
    token.set_defaults(func=cmd_token)
