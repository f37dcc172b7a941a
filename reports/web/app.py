"""The workspace as a Flask application: server-rendered pages over the findings store.

Security (docs/workspace.md): a one-time login token exchanged for a session cookie (HttpOnly,
SameSite=Strict); a CSRF token on every form; a Host check against DNS rebinding; a strict
Content-Security-Policy (the pages load nothing but their own stylesheet); a person lookup is a
POST whose value is hashed at once and never stored, logged or echoed.
"""
from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from flask import Flask, Response, abort, g, redirect, render_template, request, session, url_for
from markupsafe import Markup

from detectors.categories import CATEGORIES
from reports.gaps.lookup import KINDS, Lookup, ValueNotUsable, look_up, lookup_csv, lookup_xlsx, read_key, value_hashes
from reports.gaps.reconcile import GapKind, Severity
from reports.gaps.reviews import ReviewsError, Status, gap_fingerprint
from reports.gaps.stored import decide, export_reviews, marks_in_store, new_mark, remove_mark, sync_reviews_file
from reports.render import labels
from reports.web.charts import line_chart
from reports.web.texts import ACTIONS, text
from reports.web.workspace import GapFilter, Workspace

HEX = frozenset("0123456789abcdef")


@dataclass
class ServeConfig:
    """What `datakort serve` hands the application."""

    db: object
    reviews_file: object
    lang: str = "da"
    user: str = ""
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost")
    on_login: Callable[[str], None] = lambda new_token: None  # told the next one-time token


def local_time(value: str | datetime | None, with_time: bool = True) -> str:
    """A stored UTC time in this machine's time zone."""
    if not value:
        return ""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    if when.tzinfo is None:
        return when.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
    return when.astimezone().strftime("%Y-%m-%d %H:%M %Z" if with_time else "%Y-%m-%d")


def _filter_choices(workspace: Workspace, store, scan_id: int) -> dict:
    """The systems and owners a gap or finding list can be filtered by, for its template."""
    scan = workspace.cached(store, scan_id)
    return {"systems": scan.register.systems if scan.register else [], "owners": sorted(scan.owner_counts)}


def create_app(config: ServeConfig) -> Flask:
    app = Flask(__name__)
    app.secret_key = secrets.token_bytes(32)  # sessions end when the server stops
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_NAME="datakort",
                      MAX_CONTENT_LENGTH=1_000_000)
    workspace = Workspace(config.db)
    app.jinja_env.filters["category_label"] = lambda c: labels.category_label(c, _lang(config)).split(" (")[0]
    state = {"token": config.token}

    # -- the guard: host, login, CSRF --

    @app.before_request
    def guard():
        host = (request.host or "").rsplit(":", 1)[0].strip("[]")
        if config.allowed_hosts and host not in config.allowed_hosts:
            abort(400)
        if request.endpoint in ("login", "static", "favicon"):
            return None
        if not session.get("in"):
            return Response(render_template("login_needed.html", t=_t(config.lang), lang=config.lang), 401)
        if request.method == "POST":
            sent = request.form.get("csrf", "")
            if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
                return Response(render_template("message.html", t=_t(_lang(config)), lang=_lang(config),
                                                message=text(_lang(config), "bad_csrf")), 403)
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
            "base-uri 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.teardown_appcontext
    def close_store(_exc):
        store = g.pop("store", None)
        if store is not None:
            store.close()

    def store():
        if "store" not in g:
            g.store = workspace.open()
        return g.store

    marks_cache: dict = {}

    def reviews():
        """The marks in force, after taking any hand edits of reviews.yaml into the store (the file
        is read again only when it changed; the marks only when a decision was added)."""
        path = Path(config.reviews_file)
        seen = path.stat() if path.exists() else None
        file_state = (seen.st_mtime_ns, seen.st_size) if seen else None
        if file_state is None or marks_cache.get("file") != file_state:
            sync_reviews_file(store(), path)
            seen = path.stat() if path.exists() else None
            marks_cache["file"] = (seen.st_mtime_ns, seen.st_size) if seen else None
        version = store().decisions_version()
        if marks_cache.get("version") != version:
            marks_cache.update(version=version, reviews=marks_in_store(store()))
        return marks_cache["reviews"]

    @app.context_processor
    def common():
        lang = _lang(config)
        return {"t": _t(lang), "lang": lang, "labels": labels, "csrf": session.get("csrf", ""),
                "kind_label": lambda k: labels.kind_label(k, lang), "local_time": local_time,
                "severity_label": lambda s: labels.SEVERITIES[lang].get(s, s),
                "status_label": lambda s: labels.STATUSES[lang].get(s, s),
                "effect_label": lambda e: labels.EFFECTS[lang].get(e, e),
                "category_label": lambda c: labels.category_label(c, lang).split(" (")[0],
                "action_label": lambda a: ACTIONS[lang].get(a, a), "user": session.get("user", config.user),
                "KINDS": list(GapKind), "SEVERITIES": list(Severity), "CATEGORIES": list(CATEGORIES),
                "STATUSES": list(Status), "LOOKUP_KINDS": list(KINDS), "nav": request.endpoint}

    # -- login --

    @app.get("/login")
    def login():
        sent = request.args.get("token", "")
        if not sent or not hmac.compare_digest(sent, state["token"]):
            return Response(render_template("login_needed.html", t=_t(config.lang), lang=config.lang), 401)
        state["token"] = secrets.token_urlsafe(32)  # one-time: the next browser needs the next link
        config.on_login(state["token"])
        session.clear()
        session.update({"in": True, "csrf": secrets.token_urlsafe(32), "user": config.user, "lang": config.lang})
        store().audit(config.user, "login")
        return redirect(url_for("overview"), 303)

    @app.post("/logout")
    def logout():
        session.clear()
        return Response(render_template("login_needed.html", t=_t(config.lang), lang=config.lang), 401)

    @app.get("/lang/<lang>")
    def switch_language(lang: str):
        if lang in labels.LANGS:
            session["lang"] = lang
        return redirect(_back(request.args.get("next")), 303)

    @app.get("/favicon.ico")
    def favicon():
        return redirect(url_for("static", filename="favicon.svg"), 301)

    # -- pages --

    @app.get("/")
    def overview():
        s = store()
        scan_id = workspace.scan_id(s)
        if scan_id is None:
            return render_template("message.html", message=text(_lang(config), "no_scan"))
        rows = workspace.gap_rows(s, scan_id, reviews(), date.today())
        open_rows = [r for r in rows if not r.reviewed]
        by = {(k, sev): 0 for k in GapKind for sev in Severity}
        for r in open_rows:
            by[(r.gap.kind, r.gap.severity)] = by.get((r.gap.kind, r.gap.severity), 0) + 1
        cache = workspace.cached(s, scan_id)
        return render_template("overview.html", scan=s.scan(scan_id), top=open_rows[:5], by=by,
                               open=len(open_rows), reviewed=len(rows) - len(open_rows),
                               new=sum(r.new for r in open_rows), categories=cache.categories,
                               findings=sum(cache.categories.values()), owners=len(cache.owner_counts))

    @app.get("/gaps")
    def gaps():
        s = store()
        scan_id = workspace.scan_id(s, request.args.get("scan"))
        if scan_id is None:
            return render_template("message.html", message=text(_lang(config), "no_scan"))
        filters = GapFilter.from_args(request.args)
        page = workspace.gap_page(s, scan_id, reviews(), filters)
        label = app.jinja_env.filters["category_label"]
        categories = {r.gap.id: ", ".join(map(label, r.gap.categories)) for r in page.rows}
        return render_template("gaps.html", page=page, f=filters, scan=s.scan(scan_id), categories=categories,
                               **_filter_choices(workspace, s, scan_id))

    @app.get("/gaps/<gap_id>")
    def gap(gap_id: str):
        s = store()
        scan_id = workspace.scan_id(s, request.args.get("scan"))
        filters = GapFilter.from_args(request.args)
        row = workspace.gap(s, scan_id, reviews(), gap_id, filters.judged_on()) if scan_id else None
        if row is None:
            abort(404)
        owners = s.owners(scan_id, [e.get("location", "") for e in row.gap.evidence])
        register = workspace.cached(s, scan_id).register
        names = {system.id: system.name for system in register.systems} if register else {}
        return render_template("gap.html", row=row, scan=s.scan(scan_id), history=s.decisions(gap_id),
                               owners=owners, detail=labels.gap_detail(row.gap, _lang(config), names))

    @app.get("/findings")
    def findings():
        s = store()
        scan_id = workspace.scan_id(s, request.args.get("scan"))
        if scan_id is None:
            return render_template("message.html", message=text(_lang(config), "no_scan"))
        filters = GapFilter.from_args(request.args)
        page = workspace.finding_page(s, scan_id, reviews(), filters)
        return render_template("findings.html", page=page, f=filters, scan=s.scan(scan_id),
                               **_filter_choices(workspace, s, scan_id))

    @app.post("/decide")
    def decide_view():
        """Record a decision on a gap or a finding (every decision is appended to the store's trail)."""
        s = store()
        form = request.form
        target, thing_id, status = form.get("target", ""), form.get("id", ""), form.get("status", "")
        by = (form.get("by") or session.get("user") or "").strip()
        back = _back(form.get("next"))
        if status == "remove":
            remove_mark(s, target, thing_id, by, "datakort serve")
            export_reviews(s, config.reviews_file)
            return redirect(back, 303)
        scan_id = workspace.scan_id(s, form.get("scan"))
        fingerprint, label = None, form.get("label", "")[:200]
        if target == "gap":
            row = workspace.gap(s, scan_id, reviews(), thing_id, date.today())
            if row is None:
                abort(404)
            fingerprint = gap_fingerprint(row.gap)
            label = f"{row.gap.kind} {row.gap.location} ({', '.join(row.gap.categories)})"
        try:
            mark = new_mark(target, thing_id, status, form.get("reason", "").strip(), form.get("until") or None,
                            by, fingerprint, label)
        except ReviewsError:
            return Response(render_template("message.html", message=text(_lang(config), "until_needed")), 400)
        decide(s, mark, "datakort serve")
        export_reviews(s, config.reviews_file)
        return redirect(back, 303)

    @app.route("/lookup", methods=["GET", "POST"])
    def lookup():
        result, error = None, None
        if request.method == "POST":
            kind = request.form.get("kind", "")
            value = request.form.get("value", "")
            try:
                hashes = value_hashes(kind, value, read_key())
            except (ValueNotUsable, LookupError) as exc:
                error = str(exc)
            else:
                result = look_up(store(), kind, hashes, bool(request.form.get("all_scans")))
                store().audit(session.get("user", config.user), "lookup",
                              f"kind={kind} scans={len(result.scans)} places={result.places}")
                g.hashes = hashes
            del value  # the value goes no further: not stored, logged or put in the page
        return render_template("lookup.html", result=result, error=error, hashes=getattr(g, "hashes", []))

    @app.post("/lookup/export")
    def lookup_export():
        kind, fmt = request.form.get("kind", ""), request.form.get("format", "csv")
        hashes = [h for h in request.form.getlist("hash") if len(h) == 32 and set(h) <= HEX][:4]
        if kind not in KINDS or not hashes:
            abort(400)
        result: Lookup = look_up(store(), kind, hashes, bool(request.form.get("all_scans")))
        store().audit(session.get("user", config.user), "lookup export", f"kind={kind} format={fmt} "
                      f"places={result.places}")
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        if fmt == "xlsx":
            return Response(lookup_xlsx(result), headers={
                "Content-Disposition": f'attachment; filename="datakort-lookup-{stamp}.xlsx"'},
                mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return Response(lookup_csv(result), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="datakort-lookup-{stamp}.csv"'})

    @app.get("/owners")
    def owners():
        s = store()
        scan_id = workspace.scan_id(s, request.args.get("scan"))
        if scan_id is None:
            return render_template("message.html", message=text(_lang(config), "no_scan"))
        tasks = workspace.owner_tasks(s, scan_id, reviews(), date.today())
        return render_template("owners.html", counts=workspace.cached(s, scan_id).owner_counts, tasks=tasks,
                               scan=s.scan(scan_id), selected=request.args.get("owner", ""))

    @app.get("/trends")
    def trends():
        s = store()
        scans, by_severity, by_category = workspace.trends(s)
        lang = _lang(config)
        x = [f"#{r.id} {local_time(r.started, False)}" for r in scans]
        gaps_chart = line_chart(text(lang, "gaps_by_severity"), x,
                                {labels.SEVERITIES[lang][k]: v for k, v in by_severity.items()}, "chart-gaps")
        findings_chart = line_chart(text(lang, "findings_by_category"), x,
                                    {labels.category_label(k, lang).split(" (")[0]: v
                                     for k, v in by_category.items()}, "chart-findings")
        return render_template("trends.html", scans=scans, gaps_chart=gaps_chart, findings_chart=findings_chart,
                               by_severity=by_severity, by_category=by_category)

    @app.get("/register")
    def register_view():
        s = store()
        scan_id = workspace.scan_id(s, request.args.get("scan"))
        if scan_id is None:
            return render_template("message.html", message=text(_lang(config), "no_scan"))
        view = workspace.register_view(s, scan_id)
        return render_template("register.html", view=view, scan=s.scan(scan_id))

    @app.get("/audit")
    def audit():
        s = store()
        return render_template("audit.html", decisions=list(reversed(s.decisions()))[:500],
                               events=s.audit_events())

    def warm() -> None:
        """Build the last scan's cache (parsed gaps, owners, priorities) before the first page asks."""
        s = workspace.open()
        try:
            scan_id = workspace.scan_id(s)
            if scan_id is not None:
                workspace.cached(s, scan_id)
        finally:
            s.close()

    app.extensions["datakort.warm"] = warm
    return app


def _lang(config: ServeConfig) -> str:
    return session.get("lang") or config.lang


def _t(lang: str):
    return lambda key, **kw: Markup.escape(text(lang, key).format(**kw)) if kw else text(lang, key)


def _back(target: str | None) -> str:
    """Where to go after a form: a path on this server only (never another site)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"
