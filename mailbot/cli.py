"""Command line: parse arguments, call bootstrap and the service layer, print. Nothing else
lives here: every staff action is a function of ``mailbot.service``, the same one the
console calls, run as the staff member named by ``--by`` (or the one the operating-system
user is mapped to in ``staff.os_users``)."""

from __future__ import annotations

import getpass
import json
import logging
import os
import shutil
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import click

from mailbot.config import Settings, load_settings
from mailbot.domain.kinds import Disposition, RequestKind
from mailbot.domain.states import DraftStatus, OutboxStatus, RequestStatus
from mailbot.errors import MailbotError, NotAllowed
from mailbot.store import views
from mailbot.store.crypto import generate_key
from mailbot.terminal import echo

if TYPE_CHECKING:
    from mailbot.bootstrap import App
    from mailbot.service.base import Service
    from mailbot.store.repository import Repository

WIDTH = 100  # what a list fits in, unless --wide


class Context:
    def __init__(self, config: str | None) -> None:
        self.config = config
        self._settings: Settings | None = None
        self._app: App | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from mailbot.config import DEMO_CONFIG, config_path

            path = config_path(self.config)
            if path is not None and not self.config and "MAILBOT_CONFIG" not in os.environ:
                echo(f"(the demo's config: {DEMO_CONFIG.resolve()})", err=True)
            self._settings = load_settings(path)
        return self._settings

    @property
    def app(self) -> App:
        if self._app is None:
            from mailbot.bootstrap import bootstrap

            self._app = bootstrap(self.settings)
            click.get_current_context().call_on_close(self._app.close)
        return self._app

    @property
    def service(self) -> Service:
        return self.app.service

    def reading(self) -> Any:
        """A read-only unit of work (rolled back at the end)."""
        return self.service.reading()

    def by(self, given: str | None) -> str:
        """The staff member acting: ``--by``, else the one the OS user is mapped to."""
        if given and given.strip():
            return given.strip()
        user = getpass.getuser()
        mapped = self.settings.staff.os_users.get(user)
        if not mapped:
            raise NotAllowed(f"say who acts with --by NAME (a staff user), or map the "
                             f"operating-system user {user!r} in staff.os_users")
        return mapped

    def local(self, value: str | None) -> str | None:
        """An ISO time as the organisation's local time to the minute."""
        if not value:
            return value
        zone = ZoneInfo(self.settings.organisation.timezone)
        return datetime.fromisoformat(value).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except MailbotError as exc:
        echo(f"mailbot: {exc}", err=True)
        sys.exit(2)


@click.group()
@click.version_option(package_name="mailbot", prog_name="mailbot",
                      message="%(prog)s %(version)s")
@click.option("--config", "config", type=click.Path(dir_okay=False), default=None,
              help="Config file (TOML); default: env MAILBOT_CONFIG, else the demo's "
                   "./var/demo/mailbot.toml when it exists.")
@click.pass_context
def cli(ctx: click.Context, config: str | None) -> None:
    """mailbot: runs the privacy mailbox."""
    ctx.obj = Context(config)


def run_daemon(settings: Settings, *, once: bool) -> None:
    from mailbot.bootstrap import bootstrap
    from mailbot.logsetup import setup_logging

    setup_logging(settings)
    app = bootstrap(settings)  # a config, key or database it cannot use stops it here
    startup_checks(settings)
    try:
        if once:
            count = app.daemon.run_once()
            report = app.daemon.delivered
            echo(f"recorded {count} new mail(s); delivered {len(report.sent)}, "
                       f"{len(report.retrying)} waiting to be retried, {len(report.failed)} "
                       "failed")
            if report.retrying or report.failed:
                with app.uow() as uow:
                    backlog, _oldest, _due = uow.repo.outbox.backlog()
                raise click.ClickException(
                    f"not everything was delivered: {backlog} mail(s) wait in the outbox "
                    "(mailbot outbox list); the next run tries again")
            return

        def stop(signum: int, _frame: FrameType | None) -> None:
            logging.getLogger("mailbot").info("signal %s: stopping", signum)
            app.daemon.stop.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        app.daemon.warm_up(settle=True)  # this process is the worker from now on
        app.run_forever()
    finally:
        app.close()


@cli.command()
@click.option("--once", is_flag=True,
              help="Process everything pending, deliver everything due, and exit.")
@click.pass_obj
def run(obj: Context, once: bool) -> None:
    """Run the daemon: watch the mailbox, record, acknowledge, send."""
    run_daemon(obj.settings, once=once)


@cli.command()
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("var"), show_default=True)
@click.option("--smtp-port", type=int, default=8025, show_default=True,
              help="Port of the demo's local SMTP server (0: any free port).")
@click.option("--console-port", type=int, default=8080, show_default=True,
              help="Port of the staff console (0: any free port).")
def demo(data_dir: Path, smtp_port: int, console_port: int) -> None:
    """Run mailbot on its embedded defaults: a seeded Maildir, a local SMTP server."""
    from mailbot.demo.run import run_demo

    run_demo(data_dir, smtp_port=smtp_port, console_port=console_port, run=run_daemon)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the items as JSON.")
@click.pass_obj
def check(obj: Context, as_json: bool) -> None:
    """Try the whole setup without side effects: one line per item, exit 0 when all pass."""
    from mailbot.check import Item, run_checks
    from mailbot.config import config_path

    source = config_path(obj.config)
    try:
        settings = obj.settings
    except MailbotError as exc:
        items = [Item("config", False, str(exc), "correct the key named")]
    else:
        items = [Item("config", True, f"{source or 'no file'}; env MAILBOT_* applied")]
        items += run_checks(settings)
    ok = all(item.ok for item in items)
    if as_json:
        echo(json.dumps({"ok": ok, "items": [i.as_dict() for i in items]},
                              ensure_ascii=False, indent=2))
    else:
        for item in items:
            echo(item.line())
        failures = sum(not item.ok for item in items)
        echo("all checks passed" if ok else f"{failures} check(s) failed")
    if not ok:
        sys.exit(1)


def startup_checks(settings: Settings) -> None:
    """The checks of `mailbot check`, at start-up: what fails is logged; the daemon starts
    anyway (a server may come up later) and keeps trying."""
    from mailbot.check import run_checks

    log = logging.getLogger("mailbot.check")
    for item in run_checks(settings):
        if not item.ok:
            log.warning("start-up check failed: %s: %s; fix: %s", item.name, item.detail,
                        item.fix)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def health(obj: Context, as_json: bool) -> None:
    """Exit 0 when the daemon beats, reads the mailbox, delivers through SMTP and the database
    answers (for Docker's HEALTHCHECK and monitoring)."""
    from mailbot.health import check_health
    from mailbot.store.database import open_database

    database = open_database(obj.settings, migrate=False)
    try:
        healthy, report = check_health(obj.settings, database)
    finally:
        database.close()
    if as_json:
        echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        echo(_health_lines(report, healthy))
    if not healthy:
        sys.exit(1)


def _health_lines(report: dict[str, Any], healthy: bool) -> str:
    def ago(value: float | None) -> str:
        return "never" if value is None else f"{value:.0f} s ago"

    mailbox, smtp = report["mailbox"], report["smtp"]
    lines = [f"{'healthy' if healthy else 'unhealthy'}",
             f"  database:  {report['db']}",
             f"  heartbeat: {ago(report['heartbeat_age'])}",
             f"  mailbox:   last read {ago(mailbox['last_read_age'])} (limit "
             f"{mailbox['limit']:g} s)"
             + (f"; last error: {mailbox['last_error']}" if mailbox["last_error"] else ""),
             f"  smtp:      last delivery {ago(smtp['last_delivery_age'])}, last failure "
             f"{ago(smtp['last_failure_age'])}"
             + (f"; last error: {smtp['last_error']}" if smtp["last_error"] else "")]
    outbox = report.get("outbox")
    if outbox is not None:
        oldest = outbox["oldest_waiting_s"]
        lines.append(f"  outbox:    {outbox['backlog']} waiting"
                     + (f", the oldest for {oldest:.0f} s" if oldest is not None else "")
                     + (f", next attempt {_local_time(outbox['next_attempt_at'])}"
                        if outbox["next_attempt_at"] else "")
                     + f"; {outbox['failed']} failed"
                     + (f"; {outbox['uncertain']} may have left before their worker stopped "
                        "(mailbot outbox list --status uncertain)"
                        if outbox.get("uncertain") else ""))
    for name, state in (report.get("sources") or {}).items():
        lines.append(f"  source {name}: {state}")
    lines += [f"  problem: {problem}" for problem in report["problems"]]
    return "\n".join(lines)


def _local_time(value: str) -> str:
    ctx = click.get_current_context().obj
    return ctx.local(value) if isinstance(ctx, Context) else value


@cli.command("classify")
@click.argument("file", type=click.File("rb"))
@click.option("--json", "as_json", is_flag=True, help="Print the decision as JSON.")
@click.option("--client-contact", is_flag=True,
              help="Classify as if the sender were a registered client contact.")
@click.option("--own-address", "own", multiple=True, default=("privacy@example.org",),
              show_default=True, help="Our own address(es), for the loop check.")
def classify_command(file: Any, as_json: bool, client_contact: bool,
                     own: tuple[str, ...]) -> None:
    """How a mail (.eml) would be handled: kinds, language, confidence, evidence."""
    from mailbot.classify import explain, render_explanation
    from mailbot.domain.mail import LOOP_HEADER, ParseFailure
    from mailbot.parse import parse
    from mailbot.parse.noreply import check

    mail = parse(file.read())
    if isinstance(mail, ParseFailure):
        decision: dict[str, Any] = {"disposition": "quarantined", "error": mail.error}
    else:
        verdict = check(mail, own_addresses=frozenset(a.lower() for a in own),
                        loop_header=LOOP_HEADER)
        if verdict is not None:
            decision = {"disposition": str(verdict.disposition), "rule": verdict.rule,
                        "reason": verdict.reason}
        else:
            decision = {"disposition": "request",
                        **explain(mail, client_contact=client_contact)}
    if as_json:
        echo(json.dumps(decision, ensure_ascii=False, indent=2))
    elif decision["disposition"] == "request":
        echo(render_explanation(decision))
    else:
        echo(f"not answered: {decision['disposition']} "
                   f"({decision.get('rule') or decision.get('error')})"
                   + (f": {decision['reason']}" if decision.get("reason") else ""))


@cli.command()
@click.option("--dry-run", is_flag=True, help="Only list what would be purged.")
@click.pass_obj
def purge(obj: Context, dry_run: bool) -> None:
    """Purge mail text, raw messages and reply texts past the retention period."""
    from mailbot.deadlines.retention import purge as run_purge

    app = obj.app
    with app.uow() as uow:
        echo(run_purge(uow, obj.settings, app.services.clock(), dry_run=dry_run,
                             mailbox=app.services.mailbox)
                   .listing())


@cli.command("import")
@click.argument("source", metavar="MAILDIR|MBOX|imap:FOLDER")
@click.pass_obj
def import_command(obj: Context, source: str) -> None:
    """Bring in an existing mailbox's history (a Maildir, an mbox file, or imap:FOLDER, a
    folder on the server mailbot reads, opened read-only) without answering anything: its
    requests are recorded closed. Run again, it adds only what is new."""
    from mailbot.history import import_history, open_any
    from mailbot.progress import progress

    app = obj.app
    history = open_any(source, app.services.settings, app.credentials.mailbox)
    try:
        with progress("importing", history.count) as shown:
            report = import_history(app.ingestor, history.messages(), shown.advance)
    finally:
        history.close()
    kinds = ", ".join(f"{n} {d}" for d, n in sorted(report.dispositions.items()))
    echo(f"imported {report.new} mail(s) ({kinds or 'none'}), {report.requests} "
               f"request(s) recorded closed; {report.known} already recorded; nothing sent")


@cli.command("reclassify")
@click.option("--apply", is_flag=True,
              help="Handle each request whose mail now reads as one other kind as that kind.")
@click.option("--by", default=None, help="The staff member who acts (with --apply).")
@click.pass_obj
def reclassify_command(obj: Context, apply: bool, by: str | None) -> None:
    """Classify the mail of every open request again and list what changed."""
    from mailbot.progress import progress
    from mailbot.service.reclassify import open_requests, reclassify

    actor = obj.by(by) if apply else None
    ids = open_requests(obj.service)
    with progress("reclassifying", len(ids)) as shown:
        results = reclassify(obj.service, ids, apply=apply, by=actor, advance=shown.advance)
    differing = [r for r in results if r.differs]
    for result in differing:
        now = ", ".join(result.now) or "nothing"
        done = (f"; now handled as {result.changed_to}" if result.changed_to else
                f"; to change it: mailbot requests kind {result.reference} --kind KIND"
                if not apply else "; left as it is (not one clear kind)")
        echo(f"{result.reference}: {result.was} -> reads as {now}{done}")
    echo(f"{len(results)} open request(s) classified again, {len(differing)} differ")


@cli.group()
def db() -> None:
    """The database schema."""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(obj: Context) -> None:
    """Apply every migration."""
    from mailbot.store.database import open_database

    database = open_database(obj.settings, migrate=True)
    try:
        where = database.engine.url.render_as_string(hide_password=True)
        echo(f"database {where} at revision {database.revision()}")
    finally:
        database.close()


@cli.group()
def oauth() -> None:
    """The OAuth2 (XOAUTH2) logins to the mailbox and the SMTP server."""


@oauth.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the accounts as JSON.")
@click.pass_obj
def oauth_status(obj: Context, as_json: bool) -> None:
    """Whether each OAuth2 account's grant is honoured (exit 1 when one is refused)."""
    from mailbot.oauth.status import token_status
    from mailbot.store.database import open_database

    database = open_database(obj.settings, migrate=False)
    try:
        found = token_status(obj.settings, database.uow)
    finally:
        database.close()
    if as_json:
        echo(json.dumps([s.as_json() for s in found], indent=2))
    elif not found:
        echo("no OAuth2 account configured (mailbox.auth and smtp.auth are password)")
    for status in found if not as_json else ():
        mark = "✓" if status.ok else "✗"
        until = f", token valid until {status.expires_at:%Y-%m-%d %H:%M} UTC" if (
            status.ok and status.expires_at) else ""
        echo(f"{mark} {status.line}{until}")
    if any(not s.ok for s in found):
        raise SystemExit(1)


@oauth.command("refresh")
@click.pass_obj
def oauth_refresh(obj: Context) -> None:
    """Ask each OAuth2 provider for a new token now (after fixing a refused grant); the
    daemon also tries again by itself, with backoff."""
    from mailbot.errors import OAuthError

    sources = obj.app.credentials.sources
    if not sources:
        echo("no OAuth2 account configured (mailbox.auth and smtp.auth are password)")
        return
    failed = False
    for name, source in sources.items():
        try:
            source.renew_now()
        except OAuthError as exc:
            failed = True
            echo(f"✗ oauth2 {name}: {exc}")
        else:
            echo(f"✓ oauth2 {name}: new token for {source.account.user}")
    if failed:
        raise SystemExit(1)


@cli.group()
def keys() -> None:
    """Encryption keys."""


@keys.command("generate")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the key to this new file, readable by you only (mode 0600).")
def keys_generate(out: Path | None) -> None:
    """A new key for security.key_file (or security.key). To rotate, put it first and the
    old key after it, then run `mailbot keys rotate`."""
    from mailbot.store.crypto import write_key_file

    if out is None:
        echo(generate_key())
        return
    try:
        write_key_file(out, [generate_key()])
    except FileExistsError:
        raise click.ClickException(f"{out} exists; choose another file") from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror}") from None
    echo(f"new key written to {out} (mode 0600); set security.key_file = \"{out}\"")


@keys.command("rotate")
@click.pass_obj
def keys_rotate(obj: Context) -> None:
    """Seal every stored value again with the first key, so the keys after it can go.
    Interrupted, it goes on where it stopped when run again."""
    from mailbot.progress import progress
    from mailbot.store.crypto import cipher_of, load_keys
    from mailbot.store.database import open_database
    from mailbot.store.rotate import count_rows, rotate

    settings = obj.settings
    security = settings.security
    keys_ = load_keys(security.key.get_secret_value() if security.key else None,
                      security.key_file)
    if len(keys_) < 2:
        raise click.ClickException(
            "only one key is configured: make a new one (mailbot keys generate --out FILE), "
            "put it first and the old key after it in security.key_file, then run this again")
    database = open_database(settings)
    state = settings.paths.data_dir / "keys-rotate.json"
    try:
        with progress("re-sealing", count_rows(database.engine)) as shown:
            done = rotate(database.engine, cipher_of(database.engine), keys_[0], state,
                          shown.advance)
    finally:
        database.close()
    echo(f"{'resumed; ' if done.resumed else ''}{done.rows} of {done.total} rows sealed "
               f"again with the first key; the other {len(keys_) - 1} key(s) can now be "
               "removed from the configuration")


# Lists ----------------------------------------------------------------------------------


def _print(obj: Context, rows: Sequence[dict[str, Any]], *, as_json: bool, wide: bool,
           columns: Sequence[str], narrow: Sequence[str]) -> None:
    """Rows as JSON, or as a table: ``narrow`` columns fitted to the terminal (at most
    ``WIDTH``), or with ``wide`` every column in full. Times show local, to the minute."""
    if as_json:
        echo(json.dumps(list(rows), ensure_ascii=False, indent=2))
        return
    shown = list(columns if wide else narrow)
    table = [[_cell(obj.local(row.get(c)) if c.endswith("_at") else row.get(c))
              for c in shown] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in table)]) for i, c in enumerate(shown)]
    if not wide:
        widths = _fit(widths, min(WIDTH, shutil.get_terminal_size((WIDTH, 24)).columns))
    echo(_line(shown, widths))
    for row in table:
        echo(_line(row, widths))
    echo(f"({len(table)} rows)")


def _fit(widths: list[int], total: int) -> list[int]:
    """Narrow the widest columns until the line (with two spaces between columns) fits."""
    widths = list(widths)
    while sum(widths) + 2 * (len(widths) - 1) > total:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= 6:
            break
        widths[widest] -= 1
    return widths


def _line(values: Sequence[str], widths: Sequence[int]) -> str:
    cells = [v if len(v) <= w else v[: w - 1] + "…" for v, w in zip(values, widths,
                                                                    strict=True)]
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    text = ",".join(map(str, value)) if isinstance(value, list) else str(value)
    return " ".join(text.split())


def _listing(name: str, help_text: str, query: Callable[..., list[dict[str, Any]]],
             columns: Sequence[str], narrow: Sequence[str],
             filters: dict[str, tuple[str, Sequence[str] | None]],
             paged: bool = False) -> click.Group:
    """A command group with a ``list`` command: ``filters`` maps an option to its help and
    the values it takes (checked; None: any text). ``paged``: ``--limit`` and ``--offset``
    choose one page of the list (in its usual order; everything by default)."""
    group = click.Group(name, help=help_text)

    @click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
    @click.option("--wide", is_flag=True, help="Every column, nothing cut short.")
    @click.pass_obj
    def list_command(obj: Context, as_json: bool, wide: bool, **kwargs: Any) -> None:
        with obj.reading() as repo:
            rows = query(repo, **kwargs)
        _print(obj, rows, as_json=as_json, wide=wide, columns=columns, narrow=narrow)

    for option, (help_option, values) in filters.items():
        kind = click.Choice(list(values)) if values is not None else None
        list_command = click.option(f"--{option}", type=kind, default=None,
                                    help=help_option)(list_command)
    if paged:
        list_command = click.option(
            "--offset", type=click.IntRange(min=0), default=0,
            help="Skip this many first.")(list_command)
        list_command = click.option(
            "--limit", type=click.IntRange(min=1), default=None,
            help="At most this many (default: all).")(list_command)
    group.command("list", help=f"List {name}.")(list_command)
    return group


def _values(enum: Any) -> list[str]:
    return [str(member) for member in enum]


requests_group = _listing(
    "requests", "Recorded GDPR requests.", views.requests,
    ("id", "reference", "kind", "status", "sender", "language", "received_at", "due_at",
     "assigned_to", "subject"),
    ("reference", "kind", "status", "due_at", "sender", "subject"),
    {"status": ("Only this status.", _values(RequestStatus)),
     "kind": ("Only this kind.", _values(RequestKind)),
     "sender": ("Only this sender.", None),
     "assigned-to": ("Only those assigned to this staff member.", None)}, paged=True)
inbound_group = _listing(
    "inbound", "Every mail that came in.", views.inbound,
    ("id", "disposition", "sender", "subject", "request_ids", "received_at", "rule",
     "error"),
    ("id", "disposition", "received_at", "sender", "subject"),
    {"disposition": ("Only this disposition.", _values(Disposition))})
outbox_group = _listing(
    "outbox", "Outgoing mail.", views.outbox,
    ("id", "status", "purpose", "reference", "recipient", "attempts", "created_at",
     "sent_at", "next_attempt_at", "last_error"),
    ("id", "status", "purpose", "reference", "recipient", "sent_at", "last_error"),
    {"status": ("Only this status.", _values(OutboxStatus))})
drafts_group = _listing(
    "drafts", "Replies waiting for staff, and what became of them.", views.drafts,
    ("id", "reference", "kind", "purpose", "status", "recipient", "language", "version",
     "decided_by", "subject"),
    ("id", "reference", "purpose", "status", "recipient", "subject"),
    {"status": ("Only this status.", _values(DraftStatus))})
for group in (requests_group, inbound_group, outbox_group, drafts_group):
    cli.add_command(group)

BY_HELP = "The staff member who acts (default: the one your OS user maps to)."


def _by(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--by", default=None, help=BY_HELP)(function)


# Requests -------------------------------------------------------------------------------


@requests_group.command("show")
@click.argument("ident")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def requests_show(obj: Context, ident: str, as_json: bool) -> None:
    """One request: its mail, evidence, due date and how it was computed, drafts, timeline,
    and what moves it on."""
    from mailbot.domain.mail import address_in_name
    from mailbot.handle import verify
    from mailbot.service.ways import COMMANDS, ways_forward

    with obj.reading() as repo:
        request = repo.requests.find(ident)
        detail = views.request_detail(repo, request, obj.settings.organisation.timezone,
                                      obj.settings.deadlines.target_working_days)
        today = datetime.now(ZoneInfo(obj.settings.organisation.timezone)).date()
        detail["ways_forward"] = ways_forward(request, today)
        detail["verification_answers"] = [
            {**a, "received_at": a["received_at"].isoformat()}  # type: ignore[union-attr]
            for a in verify.answers(repo, request)]
        text = request.inbound.body_text or ""
        name_address = address_in_name(request.inbound.sender_name, request.inbound.sender)
        detail["sender_name_address"] = name_address
    if as_json:
        echo(json.dumps(detail, ensure_ascii=False, indent=2))
        return
    echo(f"{detail['reference']}  {detail['kind']}  {detail['status']}")
    for key in ("sender", "language", "subject", "received_at", "verified_at",
                "verification_method", "confidence", "triage", "child", "assigned_to"):
        value = obj.local(detail[key]) if key.endswith("_at") else detail[key]
        echo(f"  {key}: {value}")
        if key == "sender" and name_address:
            echo(f"  WARNING: the display name shows {name_address}, but the mail came "
                       f"from {value}; every answer goes to {value}")
    if detail["special_categories"]:
        kept = "included in replies by staff" if detail["special_included"] else \
            "kept out of replies, forwards and overviews"
        echo(f"  SPECIAL CATEGORIES (art. 9): {', '.join(detail['special_categories'])}; "
             f"{kept}")
        if not detail["special_included"]:
            echo(f"    include them: mailbot requests include-special {detail['reference']} "
                 "--reason TEXT")
    echo(f"  due: {detail['due_at']} (our target: {detail['target_at']})")
    echo("  " + detail["due_computation"].replace("\n", "\n  "))
    echo("\nThe mail:\n" + "\n".join("  | " + line for line in text.splitlines()))
    for answer in detail["verification_answers"]:
        echo(f"\nAnswer to the verification mail, {obj.local(answer['received_at'])} "
                   f"from {answer['sender']} ({answer['taken_as']}):\n"
                   + "\n".join("  | " + line for line in str(answer["text"]).splitlines()))
    echo("\nEvidence:")
    for item in detail["evidence"] or []:
        echo(f"  {item['rule']}: {item['matched']!r}")
    if detail["details"]:
        echo("\nFindings:\n  " + json.dumps(detail["details"], ensure_ascii=False))
    order = (detail["details"] or {}).get("register") if detail["kind"] == \
        RequestKind.REGISTER_INSTRUCTION else None
    if isinstance(order, dict) and order.get("review"):
        echo(f"\nProcessing order for {order.get('client')}: {order.get('order_key')!r}, "
                   f"{order.get('change')}, review {order['review']}")
        for flag in order.get("flags", []):
            echo(f"  WARNING: {flag}")
    if detail["steps"]:
        echo("\nSteps:")
        for item in detail["steps"]:
            done = f" by {item['by']} {obj.local(item['at'])}" if item["by"] else ""
            echo(f"  {item['position']}. {item['what']}: {item['status']}{done}")
            for key in ("instruction", "result", "note"):
                if item[key]:
                    echo(f"       {key}: {item[key]}")
    echo("\nDrafts:")
    for draft in detail["drafts"]:
        echo(f"  #{draft['id']} {draft['purpose']} to {draft['recipient']}: "
                   f"{draft['status']}" + (f" by {draft['decided_by']}"
                                           if draft["decided_by"] else ""))
    echo("\nTimeline:")
    for event in detail["timeline"]:
        extra = json.dumps(event["detail"], ensure_ascii=False) if event["detail"] else ""
        echo(f"  {obj.local(event['at'])}  {event['actor']}  {event['action']}  "
                   f"{extra[:200]}")
    if detail["ways_forward"]:
        echo("\nWhat you can do:")
        for way in detail["ways_forward"]:
            echo("  " + COMMANDS[way].replace("ID", detail["reference"] or ident, 1))


def _done(outcome: Any, what: str) -> None:
    draft = f"; draft {outcome.draft_id}" if getattr(outcome, "draft_id", None) else ""
    echo(f"{outcome.reference} {what} by {outcome.by}: now {outcome.status}{draft}")


@requests_group.command("extend")
@click.argument("ident")
@click.option("--months", type=click.IntRange(1, 2), required=True)
@click.option("--reason", required=True, help="Why more time is needed (told to the person).")
@_by
@click.pass_obj
def requests_extend(obj: Context, ident: str, months: int, reason: str,
                    by: str | None) -> None:
    """Draft the notice extending the deadline by 1 or 2 months (before the first deadline)."""
    from mailbot.service import requests as actions

    outcome = actions.extend(obj.service, ident, months, reason, by=obj.by(by))
    echo(f"extension notice is draft {outcome.draft_id}; approve it before the first "
               "deadline")


@requests_group.command("refuse")
@click.argument("ident")
@click.option("--reason", required=True, help="Why the request is refused (told to the person).")
@_by
@click.pass_obj
def requests_refuse(obj: Context, ident: str, reason: str, by: str | None) -> None:
    """Draft a refusal naming the right to complain to the Autoriteit Persoonsgegevens."""
    from mailbot.service import requests as actions

    outcome = actions.refuse(obj.service, ident, reason, by=obj.by(by))
    echo(f"refusal is draft {outcome.draft_id}; it goes out once approved")


@requests_group.command("close")
@click.argument("ident")
@click.option("--reason", required=True, help="Why (recorded; nothing is sent).")
@_by
@click.pass_obj
def requests_close(obj: Context, ident: str, reason: str, by: str | None) -> None:
    """Close without a formal answer: not a GDPR request, or nothing to do."""
    from mailbot.service import requests as actions

    _done(actions.close(obj.service, ident, reason, by=obj.by(by)), "closed")


@requests_group.command("reply")
@click.argument("ident")
@click.option("--text-file", type=click.File("r", encoding="utf-8"), required=True,
              help="The reply (a first line 'Subject: ...' gives its subject).")
@_by
@click.pass_obj
def requests_reply(obj: Context, ident: str, text_file: Any, by: str | None) -> None:
    """A reply you write yourself; it waits for approval like every reply."""
    from mailbot.service import requests as actions

    _done(actions.reply(obj.service, ident, text_file.read(), by=obj.by(by)), "replied")


@requests_group.command("assign")
@click.argument("ident")
@click.option("--to", "to", required=True, help="The staff member ('' for nobody).")
@_by
@click.pass_obj
def requests_assign(obj: Context, ident: str, to: str, by: str | None) -> None:
    """Give the request to a staff member."""
    from mailbot.service import requests as actions

    _done(actions.assign(obj.service, ident, to or None, by=obj.by(by)),
          f"assigned to {to or 'nobody'}")


@requests_group.command("verify")
@click.argument("ident")
@click.option("--reason", required=True, help="How the identity was checked.")
@_by
@click.pass_obj
def requests_verify(obj: Context, ident: str, reason: str, by: str | None) -> None:
    """The person's identity was checked another way (a phone call, a visit)."""
    from mailbot.service import requests as actions

    _done(actions.verify(obj.service, ident, reason, by=obj.by(by)), "verified")


@requests_group.command("verify-new-address")
@click.argument("ident")
@click.option("--reason", required=True, help="How the new address was checked.")
@_by
@click.pass_obj
def requests_verify_new_address(obj: Context, ident: str, reason: str, by: str | None) -> None:
    """The new e-mail address a correction asks for was checked another way."""
    from mailbot.service import requests as actions

    _done(actions.verify_new_address(obj.service, ident, reason, by=obj.by(by)),
          "new address confirmed")


@requests_group.command("resend-verification")
@click.argument("ident")
@_by
@click.pass_obj
def requests_resend_verification(obj: Context, ident: str, by: str | None) -> None:
    """Send the person a new verification mail (a new code and link)."""
    from mailbot.service import requests as actions

    _done(actions.resend_verification(obj.service, ident, by=obj.by(by)),
          "verification sent again")


@requests_group.command("research")
@click.argument("ident")
@_by
@click.pass_obj
def requests_research(obj: Context, ident: str, by: str | None) -> None:
    """Search the sources again (after one failed) and rebuild the answer."""
    from mailbot.service import requests as actions

    _done(actions.research(obj.service, ident, by=obj.by(by)), "searched again")


@requests_group.command("kind")
@click.argument("ident")
@click.option("--kind", type=click.Choice(_values(RequestKind)), required=True)
@_by
@click.pass_obj
def requests_kind(obj: Context, ident: str, kind: str, by: str | None) -> None:
    """Handle the request as this kind (the same kind confirms it) from the start."""
    from mailbot.service import requests as actions

    _done(actions.change_kind(obj.service, ident, kind, by=obj.by(by)), f"made {kind}")


@requests_group.command("note")
@click.argument("ident")
@click.option("--text", required=True)
@_by
@click.pass_obj
def requests_note(obj: Context, ident: str, text: str, by: str | None) -> None:
    """An internal note in the request's timeline (never sent)."""
    from mailbot.service import requests as actions

    _done(actions.note(obj.service, ident, text, by=obj.by(by)), "noted")


@requests_group.command("include-special")
@click.argument("ident")
@click.option("--reason", required=True, help="Why replies may quote this data.")
@_by
@click.pass_obj
def requests_include_special(obj: Context, ident: str, reason: str, by: str | None) -> None:
    """Let replies and forwards quote the special categories of data in the request's mail
    (kept out by default)."""
    from mailbot.service import requests as actions

    _done(actions.include_special(obj.service, ident, reason, by=obj.by(by)),
          "special categories included")


@requests_group.command("step")
@click.argument("result", type=click.Choice(["done", "failed"]))
@click.argument("ident")
@click.argument("position")
@click.option("--note", required=True, help="What was done, or why it could not be done.")
@_by
@click.pass_obj
def requests_step(obj: Context, result: str, ident: str, position: str, note: str,
                  by: str | None) -> None:
    """Tick off a step that waits for a person (see 'requests show'): done or failed."""
    from mailbot.service import requests as actions

    outcome = actions.step(obj.service, ident, position, result == "done", note,
                           by=obj.by(by))
    _done(outcome, f"step {position} {result}")


@requests_group.command("evidence")
@click.argument("ident")
@click.option("--format", "fmt", type=click.Choice(["html", "json"]), default="html")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write it to this file (default: standard output).")
@click.pass_obj
def requests_evidence(obj: Context, ident: str, fmt: str, out: str | None) -> None:
    """The evidence pack of a request: the mail's hash, the timeline, every step with its
    result, who approved what, every message sent with its Message-ID and the SMTP answer."""
    from mailbot.service import evidence

    text = evidence.pack(obj.service, ident, fmt)
    if out:
        Path(out).write_text(text, encoding="utf-8")
        echo(f"evidence written to {out}")
    else:
        echo(text, nl=False)


# Drafts ---------------------------------------------------------------------------------


@drafts_group.command("show")
@click.argument("ident")
@click.pass_obj
def drafts_show(obj: Context, ident: str) -> None:
    """A draft as it would go out (a draft id, or a request's reference)."""
    from mailbot.service.drafts import find

    with obj.reading() as repo:
        draft = find(repo, ident, waiting=False)
        view = views.draft_view(draft)
        body = draft.body
    echo(f"Draft #{view['id']} ({view['purpose']}, {view['status']}) for "
               f"{view['reference']}")
    echo(f"To: {view['recipient']}\nSubject: {view['subject']}\n")
    echo(body)


@drafts_group.command("approve")
@click.argument("ident")
@_by
@click.pass_obj
def drafts_approve(obj: Context, ident: str, by: str | None) -> None:
    """Approve a draft (its id, or a request's reference): it leaves through the outbox."""
    from mailbot.service import drafts as actions

    outcome = actions.approve(obj.service, ident, by=obj.by(by))
    echo(f"draft {outcome.draft_id} approved by {outcome.by}; queued for "
               f"{outcome.recipient}")


@drafts_group.command("reject")
@click.argument("ident")
@click.option("--reason", required=True)
@_by
@click.pass_obj
def drafts_reject(obj: Context, ident: str, reason: str, by: str | None) -> None:
    """Reject a draft; the request goes back to a person (triage)."""
    from mailbot.service import drafts as actions

    outcome = actions.reject(obj.service, ident, reason, by=obj.by(by))
    echo(f"draft {outcome.draft_id} rejected by {outcome.by}")


@drafts_group.command("edit")
@click.argument("ident")
@click.option("--text-file", type=click.File("r", encoding="utf-8"), default=None,
              help="The new text (a first line 'Subject: ...' changes the subject); "
                   "without it, $EDITOR opens.")
@_by
@click.pass_obj
def drafts_edit(obj: Context, ident: str, by: str | None, text_file: Any) -> None:
    """Change a waiting draft's text."""
    from mailbot.service import drafts as actions

    actor = obj.by(by)
    if text_file is not None:
        text = text_file.read()
    else:
        with obj.reading() as repo:
            draft = actions.find(repo, ident)
            current = f"Subject: {draft.subject}\n\n{draft.body}"
        text = click.edit(current, extension=".txt")
        if text is None or text == current:
            echo("nothing changed")
            return
    outcome = actions.edit(obj.service, ident, text, by=actor)
    echo(f"draft {outcome.draft_id} is now version {outcome.version}")


# Inbound --------------------------------------------------------------------------------


@inbound_group.command("replay")
@click.argument("inbound_id", type=int)
@_by
@click.pass_obj
def inbound_replay(obj: Context, inbound_id: int, by: str | None) -> None:
    """Parse a quarantined mail again and handle it as the daemon would."""
    from mailbot.service import quarantine

    result = quarantine.replay(obj.service, inbound_id, by=obj.by(by))
    if result.error is not None:
        raise click.ClickException(f"mail {inbound_id} still cannot be read: {result.error}")
    echo(f"mail {inbound_id}: {result.disposition}"
               + (f"; {', '.join(result.references)}" if result.references else ""))


@inbound_group.command("dismiss")
@click.argument("inbound_id", type=int)
@click.option("--reason", required=True)
@_by
@click.pass_obj
def inbound_dismiss(obj: Context, inbound_id: int, reason: str, by: str | None) -> None:
    """Take a quarantined mail off the list (it stays recorded)."""
    from mailbot.service import quarantine

    quarantine.dismiss(obj.service, inbound_id, reason, by=obj.by(by))
    echo(f"mail {inbound_id} dismissed")


# Outbox ---------------------------------------------------------------------------------


@outbox_group.command("send-again")
@click.argument("outbox_id", type=int)
@click.option("--note", default="", help="Why (kept in the mail's history).")
@_by
@click.pass_obj
def outbox_send_again(obj: Context, outbox_id: int, note: str, by: str | None) -> None:
    """Send an uncertain mail (its worker stopped while it was on its way) again."""
    from mailbot.service import outbox

    done = outbox.send_again(obj.service, outbox_id, by=obj.by(by), note=note)
    echo(f"outgoing mail {done.outbox_id} to {done.recipient}: {done.status}, it leaves "
         "with the next delivery round")


@outbox_group.command("arrived")
@click.argument("outbox_id", type=int)
@click.option("--note", default="", help="How you know (kept in the mail's history).")
@_by
@click.pass_obj
def outbox_arrived(obj: Context, outbox_id: int, note: str, by: str | None) -> None:
    """Record an uncertain mail (its worker stopped while it was on its way) as sent: it
    did arrive."""
    from mailbot.service import outbox

    done = outbox.arrived(obj.service, outbox_id, by=obj.by(by), note=note)
    echo(f"outgoing mail {done.outbox_id} to {done.recipient}: {done.status}")


# Clients, opt-outs, the register --------------------------------------------------------


@cli.group()
def clients() -> None:
    """Business clients (the organisation processes data for them) and their contacts."""


@clients.command("add")
@click.argument("name")
@click.option("--contact", "contacts", multiple=True, required=True,
              help="A contact's e-mail address; repeat for several.")
@click.option("--dpo", default=None, help="The client's DPO or representative.")
@click.option("--address", default=None, help="The client's postal address.")
@_by
@click.pass_obj
def clients_add(obj: Context, name: str, contacts: tuple[str, ...], dpo: str | None,
                address: str | None, by: str | None) -> None:
    """Register a client and the addresses its processing orders come from."""
    from mailbot.service.clients import add_client

    client = add_client(obj.service, name, contacts, by=obj.by(by), dpo=dpo, address=address)
    echo(f"client {client['id']} {client['name']}: {', '.join(client['contacts'])}")


@clients.command("remove-contact")
@click.argument("email")
@_by
@click.pass_obj
def clients_remove_contact(obj: Context, email: str, by: str | None) -> None:
    """Orders from this address are no longer taken as its client's."""
    from mailbot.errors import NotFound
    from mailbot.service.clients import remove_contact

    with obj.reading() as repo:
        contact = repo.clients.contact_for(email)
        if contact is None:
            raise NotFound(f"{email} is no client contact")
        ids = contact.client_id, contact.id
    echo(f"{remove_contact(obj.service, *ids, by=obj.by(by))} removed")


clients.add_command(_listing("clients", "", views.clients, ("id", "name", "contacts"),
                             ("id", "name", "contacts"), {}).commands["list"])


@cli.group("optouts")
def optouts_group() -> None:
    """The suppression list: who objected to which purpose (art. 21 GDPR)."""


@optouts_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.pass_obj
def optouts_export(obj: Context, fmt: str) -> None:
    """Print the suppression list for a mailing or CRM tool to import."""
    from mailbot.handle import optouts

    with obj.reading() as repo:
        echo(optouts.export(repo, fmt), nl=False)


def _optout_rows(repo: Repository, search: str | None = None) -> list[dict[str, Any]]:
    from mailbot.handle import optouts

    return optouts.rows(repo, search or "")


optouts_group.add_command(_listing(
    "optouts", "", _optout_rows, ("email", "purpose", "since", "reference"),
    ("email", "purpose", "since", "reference"),
    {"search": ("Only addresses containing this.", None)}).commands["list"])


@optouts_group.command("add")
@click.argument("email")
@click.option("--purpose", "purposes", multiple=True, required=True,
              help="A purpose objected to; repeat for several.")
@click.option("--note", default="", help="How the objection came (recorded).")
@_by
@click.pass_obj
def optouts_add(obj: Context, email: str, purposes: tuple[str, ...], note: str,
                by: str | None) -> None:
    """Record an objection heard another way (the phone, the desk)."""
    from mailbot.service import optouts

    added = optouts.add(obj.service, email, purposes, by=obj.by(by), note=note)
    echo(f"{email}: {', '.join(added) or 'nothing new'} added")


@optouts_group.command("remove")
@click.argument("email")
@click.option("--purpose", required=True)
@click.option("--reason", required=True, help="Why it goes (recorded).")
@_by
@click.pass_obj
def optouts_remove(obj: Context, email: str, purpose: str, reason: str,
                   by: str | None) -> None:
    """Take an objection recorded in error off the list (admins)."""
    from mailbot.service import optouts

    optouts.remove(obj.service, email, purpose, by=obj.by(by), reason=reason)
    echo(f"{email}: {purpose} removed")


@cli.group("register")
def register_group() -> None:
    """The processor register (art. 30(2) GDPR)."""


@register_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "md", "html"]),
              default="csv", show_default=True)
@click.option("--history", is_flag=True, help="Every version, not only the current ones.")
@click.pass_obj
def register_export(obj: Context, fmt: str, history: bool) -> None:
    """Print the register (csv/json for tools, md/html for the supervisor)."""
    from mailbot.register.cli_support import export
    from mailbot.register.export import processor_of

    org = obj.settings.organisation
    with obj.reading() as repo:
        echo(export(repo, fmt, current_only=not history, language=org.language,
                    processor=processor_of(obj.settings, org.language)), nl=False)


def _order_flags(flags: Sequence[str]) -> None:
    for flag in flags:
        echo(f"WARNING: {flag}")


@register_group.command("pending")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def register_pending(obj: Context, as_json: bool) -> None:
    """Processing orders waiting for staff before they enter the register, with flags
    (transfers outside the EEA without safeguards)."""
    from mailbot.service import orders

    found = orders.pending(obj.service)
    if as_json:
        echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if not found:
        echo("no processing orders wait for review")
    for order in found:
        echo(f"{order['reference']}  {order['client']}  {order['order_key']!r}  "
                   f"{order['change']} (would be version {order['would_be_version']})  "
                   f"from {order['sender']}")
        for flag in order["flags"]:
            echo(f"  WARNING: {flag}")
        if order["missing"]:
            echo(f"  missing: {', '.join(order['missing'])}")


@register_group.command("approve")
@click.argument("ident")
@_by
@click.pass_obj
def register_approve(obj: Context, ident: str, by: str | None) -> None:
    """Approve a client's processing order into the register (the client gets a receipt)."""
    from mailbot.service import orders

    outcome = orders.approve(obj.service, ident, by=obj.by(by))
    with obj.reading() as repo:
        recorded = (repo.requests.find(ident).details or {}).get("register", {})
    _order_flags(recorded.get("flags", []))
    echo(f"{outcome.reference}: order {recorded.get('order_key')!r} recorded as version "
               f"{recorded.get('version')} by {outcome.by}: now {outcome.status}")


@register_group.command("reject")
@click.argument("ident")
@click.option("--reason", required=True, help="Why (recorded; the register is not changed).")
@_by
@click.pass_obj
def register_reject(obj: Context, ident: str, reason: str, by: str | None) -> None:
    """Reject a client's processing order: the register stays as it is."""
    from mailbot.service import orders

    _done(orders.reject(obj.service, ident, reason, by=obj.by(by)), "order rejected")


# Users ----------------------------------------------------------------------------------


@cli.group()
def users() -> None:
    """Staff console users (roles: viewer, approver, admin). The operator manages them
    here; admins also in the console."""


def _password(password: str | None, password_file: Any) -> str:
    if password is not None and password_file is not None:
        raise click.UsageError("give --password or --password-file, not both")
    if password_file is not None:
        return str(password_file.readline().rstrip("\r\n"))
    if password is None:
        try:
            return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
        except click.exceptions.Abort:
            if sys.stdin.isatty():
                raise
            raise click.UsageError("no terminal to ask for the password: give it with "
                                   "--password-file FILE ('-' reads standard input)") from None
    return password


PASSWORD_OPTIONS = (
    click.option("--password", default=None,
                 help="The password (visible in the process list: prefer --password-file or "
                      "the prompt)."),
    click.option("--password-file", type=click.File("r", encoding="utf-8"), default=None,
                 help="Read the password from the first line of this file ('-': standard "
                      "input)."),
)


def _passwords(function: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(PASSWORD_OPTIONS):
        function = option(function)
    return function


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["viewer", "approver", "admin"]), required=True,
              help="viewer reads; approver also decides on drafts; admin also manages clients "
                   "and users.")
@_passwords
@click.pass_obj
def users_add(obj: Context, name: str, role: str, password: str | None,
              password_file: Any) -> None:
    """Add a console user, or give an existing one a new role and password."""
    from mailbot.service import users as actions

    user = actions.add(obj.service, name, role, _password(password, password_file), by=None)
    echo(f"user {user['name']} ({user['role']}) "
               f"{'added' if user['created'] else 'updated; signed out everywhere'}")


@users.command("role")
@click.argument("name")
@click.option("--role", type=click.Choice(["viewer", "approver", "admin"]), required=True)
@click.pass_obj
def users_role(obj: Context, name: str, role: str) -> None:
    """Give a user another role (they are signed out)."""
    from mailbot.service import users as actions

    user = actions.set_role(obj.service, name, role, by=None)
    echo(f"user {user['name']} is now {user['role']}")


def _activity(active: bool, doc: str) -> Callable[..., None]:
    @click.argument("name")
    @click.pass_obj
    def command(obj: Context, name: str) -> None:
        from mailbot.service import users as actions

        actions.set_active(obj.service, name, active, by=None)
        echo(f"user {name} {'enabled' if active else 'disabled'}")

    command.__doc__ = doc
    return command


users.command("disable")(_activity(False, "Disable a user: signed out, and no more signing in."))
users.command("enable")(_activity(True, "Let a disabled user sign in again."))


@users.command("reset-password")
@click.argument("name")
@_passwords
@click.pass_obj
def users_reset_password(obj: Context, name: str, password: str | None,
                         password_file: Any) -> None:
    """Give a user a new password (they are signed out)."""
    from mailbot.service import users as actions

    actions.reset_password(obj.service, name, _password(password, password_file), by=None)
    echo(f"user {name} has a new password; signed out everywhere")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_obj
def users_list(obj: Context, as_json: bool) -> None:
    """Console users and when they last signed in."""
    from mailbot.service import users as actions

    columns = ("id", "name", "role", "active", "language", "last_login_at")
    _print(obj, actions.users(obj.service), as_json=as_json, wide=True, columns=columns,
           narrow=columns)
