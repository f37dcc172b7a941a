"""`datakort serve`: the DPO's workspace in the browser, over the findings store (docs/workspace.md).

Binds 127.0.0.1 unless told otherwise with --host and --expose, and prints a one-time login
link: the token in it is exchanged for a session cookie, and a new link is printed for the
next browser. Request lines are logged without their query strings.
"""
from __future__ import annotations

import getpass
import ipaddress
import logging
import sys
import threading
from contextlib import closing
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from datakort.common import add_db_option, fail, load_reviews, open_store, reviews_path
from reports.web.app import ServeConfig, create_app

log = logging.getLogger("datakort.serve")
LOOPBACK = ("127.0.0.1", "::1", "localhost")


class QuietRequests(WSGIRequestHandler):
    """Log each request as method, path (no query string) and status, on datakort's logger."""

    def log_request(self, code="-", size="-") -> None:
        path = self.path.split("?", 1)[0]
        log.info("%s %s %s", self.command, path, getattr(code, "value", code))

    def log(self, type: str, message: str, *args) -> None:  # noqa: A002  (werkzeug's signature)
        log.log(logging.ERROR if type == "error" else logging.INFO, "%s", (message % args).split("?", 1)[0])


def _exposure(host: str) -> str:
    return (f"datakort serve: listening on {host}, not only on this machine. Anyone who can reach it over the "
            "network and has the login link can read every gap, masked finding, location and owner name and "
            "record decisions; the traffic is plain HTTP, so locations, owners and the session cookie cross "
            "the network unencrypted. Prefer 127.0.0.1 with an SSH tunnel.")


def serve_command(args) -> int:
    """Run the workspace until Ctrl-C."""
    host = args.host
    if host not in LOOPBACK and not args.expose:
        return fail(f"--host {host} would make the workspace reachable from other machines; add --expose to "
                    "do that on purpose (it says what that exposes), or use an SSH tunnel to 127.0.0.1")
    with closing(open_store(args.db)) as store:
        load_reviews(store, args.reviews)  # takes an old reviews.yaml into the store before the first page
    allowed = () if host not in LOOPBACK else ("127.0.0.1", "localhost", "::1")
    shown = "127.0.0.1" if host in LOOPBACK else host
    config = ServeConfig(db=args.db, reviews_file=reviews_path(args.reviews, args.db), lang=args.lang,
                         user=args.user or getpass.getuser(), allowed_hosts=allowed)
    app = create_app(config)
    try:
        server = make_server(host, args.port, app, threaded=True, request_handler=QuietRequests)
    except OSError as exc:
        return fail(f"cannot listen on {host}:{args.port}: {exc.strerror or exc}")
    port = server.server_port
    threading.Thread(target=app.extensions["datakort.warm"], daemon=True).start()
    if host not in LOOPBACK:
        print(_exposure(host), file=sys.stderr)

    def link(token: str) -> str:
        return f"http://{shown if ':' not in shown else f'[{shown}]'}:{port}/login?token={token}"

    config.on_login = lambda token: print(f"The login link was used. A new one-time link for another browser:\n"
                                          f"  {link(token)}", flush=True)
    print(f"datakort workspace over {args.db} (Ctrl-C stops it)\nOpen this one-time login link in your browser:\n"
          f"  {link(config.token)}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _host(text: str) -> str:
    if text == "localhost":
        return text
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise SystemExit(fail(f"--host wants an IP address (127.0.0.1, 0.0.0.0, …), not {text!r}"))


def add_parser(sub) -> None:
    p = sub.add_parser("serve", help="the DPO's workspace in the browser (local web application over the store)")
    add_db_option(p)
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    p.add_argument("--host", type=_host, default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--expose", action="store_true",
                   help="needed with a --host other than 127.0.0.1: says you mean to open the workspace to the network")
    p.add_argument("--lang", choices=("da", "en"), default="da", help="language of the pages (switchable on them)")
    p.add_argument("--user", default=None, help="your name, recorded with your decisions (default: your login name)")
    p.add_argument("--reviews", type=Path, default=None,
                   help="the review marks export the store keeps in step (default: reviews.yaml beside the store)")
    p.set_defaults(run=serve_command)
