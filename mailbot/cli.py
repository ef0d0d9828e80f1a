"""Command line: parse arguments, call bootstrap, print. Nothing else lives here."""

from __future__ import annotations

import json
import logging
import signal
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

import click

from mailbot.config import Settings, load_settings
from mailbot.errors import MailbotError
from mailbot.store import views
from mailbot.store.crypto import generate_key


class Context:
    def __init__(self, config: str | None) -> None:
        self.config = config
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config)
        return self._settings


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except MailbotError as exc:
        click.echo(f"mailbot: {exc}", err=True)
        sys.exit(2)


@click.group()
@click.option("--config", "config", type=click.Path(dir_okay=False), default=None,
              help="Config file (TOML); default: env MAILBOT_CONFIG.")
@click.pass_context
def cli(ctx: click.Context, config: str | None) -> None:
    """mailbot: runs the privacy mailbox."""
    ctx.obj = Context(config)


def _setup_logging(settings: Settings) -> None:
    for chatty in ("mail.log", "alembic.runtime.migration", "apscheduler"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    logging.basicConfig(
        level=settings.logging.level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        if settings.logging.format == "text"
        else '{"at":"%(asctime)s","level":"%(levelname)s","logger":"%(name)s",'
             '"message":"%(message)s"}',
    )


def run_daemon(settings: Settings, *, once: bool) -> None:
    from mailbot.bootstrap import bootstrap

    _setup_logging(settings)
    app = bootstrap(settings)
    try:
        if once:
            count = app.daemon.run_once()
            click.echo(f"recorded {count} new mail(s)")
            return

        def stop(signum: int, _frame: FrameType | None) -> None:
            logging.getLogger("mailbot").info("signal %s: stopping", signum)
            app.daemon.stop.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        app.run_forever()
    finally:
        app.close()


@cli.command()
@click.option("--once", is_flag=True, help="Process everything pending, send, and exit.")
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
@click.pass_obj
def health(obj: Context) -> None:
    """Exit 0 when the daemon beats and the database answers (for Docker's HEALTHCHECK)."""
    import time

    from mailbot.bootstrap import heartbeat_path, open_database
    from mailbot.daemon import HEARTBEAT_EVERY
    from mailbot.store.engine import current_revision

    current_revision(open_database(obj.settings, migrate=False))
    beat = heartbeat_path(obj.settings)
    age = time.time() - beat.stat().st_mtime if beat.exists() else None
    limit = 3 * HEARTBEAT_EVERY + 30
    if age is None or age > limit:
        raise click.ClickException(f"unhealthy: no daemon heartbeat in {beat} for "
                                   f"{'ever' if age is None else f'{age:.0f} s'}")
    click.echo(f"healthy: last heartbeat {age:.0f} s ago")


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
        click.echo(json.dumps(decision, ensure_ascii=False, indent=2))
    elif decision["disposition"] == "request":
        click.echo(render_explanation(decision))
    else:
        click.echo(f"not answered: {decision['disposition']} "
                   f"({decision.get('rule') or decision.get('error')})"
                   + (f": {decision['reason']}" if decision.get("reason") else ""))


@cli.command()
@click.option("--dry-run", is_flag=True, help="Only list what would be purged.")
@click.pass_obj
def purge(obj: Context, dry_run: bool) -> None:
    """Purge mail text, raw messages and reply texts past the retention period."""
    from mailbot.deadlines.cli_support import purge as run_purge

    app = _app(obj)
    try:
        with app.uow() as uow:
            click.echo(run_purge(uow, obj.settings, app.ingestor.clock(), dry_run).listing())
    finally:
        app.close()


@cli.group()
def db() -> None:
    """The database schema."""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(obj: Context) -> None:
    """Apply every migration."""
    from mailbot.bootstrap import open_database
    from mailbot.store.engine import current_revision

    engine = open_database(obj.settings, migrate=True)
    click.echo(f"database at revision {current_revision(engine)}")


@cli.group()
def keys() -> None:
    """Encryption keys."""


@keys.command("generate")
def keys_generate() -> None:
    """Print a new key for security.key (put the old key after it, comma-separated, to rotate)."""
    click.echo(generate_key())


def _session(obj: Context) -> Any:
    from mailbot.bootstrap import open_database
    from mailbot.store.uow import uow_factory

    return uow_factory(open_database(obj.settings))()


def _print(rows: Sequence[dict[str, Any]], as_json: bool, columns: Iterable[str]) -> None:
    if as_json:
        click.echo(json.dumps(list(rows), ensure_ascii=False, indent=2))
        return
    columns = list(columns)
    table = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in table)]) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for r in table:
        click.echo("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)))
    click.echo(f"({len(table)} rows)")


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    text = ",".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 48 else text[:47] + "…"


def _listing(name: str, help_text: str, query: Callable[..., list[dict[str, Any]]],
             columns: Sequence[str], filters: dict[str, str]) -> click.Group:
    group = click.Group(name, help=help_text)

    @click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
    @click.pass_obj
    def list_command(obj: Context, as_json: bool, **kwargs: str | None) -> None:
        with _session(obj) as uow:
            _print(query(uow.repo, **kwargs), as_json, columns)

    for option, help_option in filters.items():
        list_command = click.option(f"--{option}", default=None, help=help_option)(list_command)
    group.command("list", help=f"List {name}.")(list_command)
    return group


requests_group = _listing(
    "requests", "Recorded GDPR requests.", views.requests,
    ("id", "reference", "kind", "status", "sender", "language", "received_at", "due_at",
     "subject"),
    {"status": "Only this status.", "kind": "Only this kind.", "sender": "Only this sender."})
inbound_group = _listing(
    "inbound", "Every mail that came in.", views.inbound,
    ("id", "disposition", "sender", "subject", "request_ids", "received_at"),
    {"disposition": "Only this disposition (request, auto_reply, quarantined, ...)."})
outbox_group = _listing(
    "outbox", "Outgoing mail.", views.outbox,
    ("id", "status", "purpose", "recipient", "attempts", "next_attempt_at", "last_error"),
    {"status": "Only this status (pending, sent, failed, bounced)."})
for group in (requests_group, inbound_group, outbox_group):
    cli.add_command(group)


def _app(obj: Context) -> Any:
    from mailbot.bootstrap import bootstrap

    return bootstrap(obj.settings)


def _request(repo: Any, ident: str) -> Any:
    from mailbot.errors import NotFound

    found = repo.request_by_reference(ident) if not ident.isdigit() else repo.request(int(ident))
    if found is None:
        raise NotFound(f"no request {ident}")
    return found


@requests_group.command("show")
@click.argument("ident")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def requests_show(obj: Context, ident: str, as_json: bool) -> None:
    """One request: its mail, evidence, due date and how it was computed, drafts, timeline."""
    with _session(obj) as uow:
        request = _request(uow.repo, ident)
        detail = views.request_detail(uow.repo, request, obj.settings.organisation.timezone,
                                      obj.settings.deadlines.target_working_days)
        text = request.inbound.body_text or ""
    if as_json:
        click.echo(json.dumps(detail, ensure_ascii=False, indent=2))
        return
    click.echo(f"{detail['reference']}  {detail['kind']}  {detail['status']}")
    for key in ("sender", "language", "subject", "received_at", "verified_at",
                "verification_method", "confidence", "triage", "child"):
        click.echo(f"  {key}: {detail[key]}")
    click.echo(f"  due: {detail['due_at']} (our target: {detail['target_at']})")
    click.echo("  " + detail["due_computation"].replace("\n", "\n  "))
    click.echo("\nThe mail:\n" + "\n".join("  | " + line for line in text.splitlines()))
    click.echo("\nEvidence:")
    for item in detail["evidence"] or []:
        click.echo(f"  {item['rule']}: {item['matched']!r}")
    if detail["details"]:
        click.echo("\nFindings:\n  " + json.dumps(detail["details"], ensure_ascii=False))
    click.echo("\nDrafts:")
    for draft in detail["drafts"]:
        click.echo(f"  #{draft['id']} {draft['purpose']} to {draft['recipient']}: "
                   f"{draft['status']}" + (f" by {draft['decided_by']}"
                                           if draft["decided_by"] else ""))
    click.echo("\nTimeline:")
    for event in detail["timeline"]:
        extra = json.dumps(event["detail"], ensure_ascii=False) if event["detail"] else ""
        click.echo(f"  {event['at']}  {event['actor']}  {event['action']}  {extra[:200]}")


@requests_group.command("extend")
@click.argument("ident")
@click.option("--months", type=click.IntRange(1, 2), required=True)
@click.option("--reason", required=True, help="Why more time is needed (told to the person).")
@click.option("--by", required=True, help="Who extends (recorded in the audit trail).")
@click.pass_obj
def requests_extend(obj: Context, ident: str, months: int, reason: str, by: str) -> None:
    """Draft the notice extending the deadline by 1 or 2 months (before the first deadline)."""
    from mailbot.deadlines.cli_support import extend

    draft = _decide(obj, by, lambda ctx: extend(ctx, _request(ctx.repo, ident), months,
                                                reason))
    click.echo(f"extension notice is draft {draft.id}; approve it before the first deadline")


@requests_group.command("refuse")
@click.argument("ident")
@click.option("--reason", required=True, help="Why the request is refused (told to the person).")
@click.option("--by", required=True, help="Who refuses (recorded in the audit trail).")
@click.pass_obj
def requests_refuse(obj: Context, ident: str, reason: str, by: str) -> None:
    """Draft a refusal naming the right to complain to the Autoriteit Persoonsgegevens."""
    from mailbot.deadlines.cli_support import refuse

    draft = _decide(obj, by, lambda ctx: refuse(ctx, _request(ctx.repo, ident), reason))
    click.echo(f"refusal is draft {draft.id}; it goes out once approved")


drafts_group = _listing(
    "drafts", "Replies waiting for staff, and what became of them.", views.drafts,
    ("id", "reference", "purpose", "status", "recipient", "language", "subject"),
    {"status": "Only this status (pending_approval, queued, rejected)."})
cli.add_command(drafts_group)


@drafts_group.command("show")
@click.argument("draft_id", type=int)
@click.pass_obj
def drafts_show(obj: Context, draft_id: int) -> None:
    """A draft as it would go out."""
    from mailbot.errors import NotFound
    from mailbot.store.models import Draft

    with _session(obj) as uow:
        draft = uow.session.get(Draft, draft_id)
        if draft is None:
            raise NotFound(f"no draft {draft_id}")
        view = views.draft_view(draft)
        body = draft.body
    click.echo(f"Draft #{view['id']} ({view['purpose']}, {view['status']}) for "
               f"{view['reference']}")
    click.echo(f"To: {view['recipient']}\nSubject: {view['subject']}\n")
    click.echo(body)


def _decide(obj: Context, by: str, step: Callable[[Any], Any]) -> Any:
    app = _app(obj)
    try:
        with app.uow() as uow:
            result = step(app.context(uow, actor=by))
            uow.commit()
            return result
    finally:
        app.close()


@drafts_group.command("approve")
@click.argument("draft_id", type=int)
@click.option("--by", required=True, help="Who approves (recorded in the audit trail).")
@click.pass_obj
def drafts_approve(obj: Context, draft_id: int, by: str) -> None:
    """Approve a draft: it leaves through the outbox."""
    from mailbot.handle import drafts

    draft = _decide(obj, by, lambda ctx: drafts.approve(ctx, draft_id))
    click.echo(f"draft {draft.id} approved by {by}; queued for {draft.recipient}")


@drafts_group.command("reject")
@click.argument("draft_id", type=int)
@click.option("--by", required=True)
@click.option("--reason", required=True)
@click.pass_obj
def drafts_reject(obj: Context, draft_id: int, by: str, reason: str) -> None:
    """Reject a draft; the request goes back to a person (triage)."""
    from mailbot.handle import drafts

    _decide(obj, by, lambda ctx: drafts.reject(ctx, draft_id, reason))
    click.echo(f"draft {draft_id} rejected by {by}")


@drafts_group.command("edit")
@click.argument("draft_id", type=int)
@click.option("--by", required=True)
@click.option("--text-file", type=click.File("r", encoding="utf-8"), default=None,
              help="The new text (a first line 'Subject: ...' changes the subject); "
                   "without it, $EDITOR opens.")
@click.pass_obj
def drafts_edit(obj: Context, draft_id: int, by: str, text_file: Any) -> None:
    """Change a waiting draft's text."""
    from mailbot.handle import drafts
    from mailbot.store.models import Draft

    if text_file is not None:
        text = text_file.read()
    else:
        with _session(obj) as uow:
            draft = uow.session.get(Draft, draft_id)
            if draft is None:
                raise click.ClickException(f"no draft {draft_id}")
            current = f"Subject: {draft.subject}\n\n{draft.body}"
        text = click.edit(current, extension=".txt")
        if text is None or text == current:
            click.echo("nothing changed")
            return
    draft = _decide(obj, by, lambda ctx: drafts.edit(ctx, draft_id, text))
    click.echo(f"draft {draft_id} is now version {draft.version}")


@cli.group()
def clients() -> None:
    """Business clients (the organisation processes data for them) and their contacts."""


@clients.command("add")
@click.argument("name")
@click.option("--contact", "contacts", multiple=True, required=True,
              help="A contact's e-mail address; repeat for several.")
@click.option("--dpo", default=None, help="The client's DPO or representative.")
@click.option("--address", default=None, help="The client's postal address.")
@click.pass_obj
def clients_add(obj: Context, name: str, contacts: tuple[str, ...], dpo: str | None,
                address: str | None) -> None:
    """Register a client and the addresses its processing orders come from."""
    from mailbot.register.cli_support import add_client

    with _session(obj) as uow:
        client = add_client(uow.repo, name, contacts, dpo=dpo, address=address)
        uow.commit()
        click.echo(f"client {client['id']} {client['name']}: {', '.join(client['contacts'])}")


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

    with _session(obj) as uow:
        click.echo(optouts.export(uow.repo, fmt), nl=False)


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

    org = obj.settings.organisation
    with _session(obj) as uow:
        click.echo(export(uow.repo, fmt, current_only=not history, language=org.language,
                          organisation=org.name), nl=False)


clients.add_command(_listing("clients", "", views.clients, ("id", "name", "contacts"), {})
                    .commands["list"])


@cli.group()
def users() -> None:
    """Staff console users (roles: viewer, approver, admin)."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["viewer", "approver", "admin"]), required=True,
              help="viewer reads; approver also decides on drafts; admin also manages clients.")
@click.option("--password", default=None,
              help="The password (visible in the process list: prefer --password-file or "
                   "the prompt).")
@click.option("--password-file", type=click.File("r", encoding="utf-8"), default=None,
              help="Read the password from the first line of this file ('-': standard input).")
@click.pass_obj
def users_add(obj: Context, name: str, role: str, password: str | None,
              password_file: Any) -> None:
    """Add a console user, or give an existing one a new role and password."""
    from mailbot.console.users import add_user

    if password is not None and password_file is not None:
        raise click.UsageError("give --password or --password-file, not both")
    if password_file is not None:
        password = password_file.readline().rstrip("\r\n")
    elif password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with _session(obj) as uow:
        user = add_user(uow.repo, name, role, password or "")
        uow.commit()
    click.echo(f"user {user['name']} ({user['role']}) "
               f"{'added' if user['created'] else 'updated; signed out everywhere'}")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_obj
def users_list(obj: Context, as_json: bool) -> None:
    """Console users and when they last signed in."""
    from mailbot.console.users import users as all_users

    with _session(obj) as uow:
        _print(all_users(uow.repo), as_json, ("id", "name", "role", "active", "language",
                                              "last_login_at"))
