"""The one place that wires real adapters together: the database, the services (settings,
renderer, sources, clock), the service layer staff act through, the ingest pipeline, the
outbox, the deadline jobs and the daemon; the console beside it when configured."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from mailbot.access_config import access_config_problems
from mailbot.config import Mailbox, Settings
from mailbot.daemon import Daemon, heartbeat_path
from mailbot.deadlines.jobs import DeadlineJobs
from mailbot.draft.render import Renderer
from mailbot.handle.context import HandlerContext, Services
from mailbot.handle.drafts import outbox_settled
from mailbot.ingest import Ingestor
from mailbot.mailbox import MailSource, open_source
from mailbot.mailbox.backoff import Backoff
from mailbot.mailbox.factory import source_name
from mailbot.mailbox.router import MailboxRouter
from mailbot.metrics import Metrics
from mailbot.oauth.keeper import DatabaseKeeper
from mailbot.oauth.tokens import TokenSources
from mailbot.register.export import register_config_problems
from mailbot.send.outbox import Outbox, Transport
from mailbot.send.transport import SmtpTransport
from mailbot.service.base import Service
from mailbot.sources.registry import SourceRegistry
from mailbot.status import Status, status_path
from mailbot.store.database import Database, open_database
from mailbot.store.leases import Crew, Lease, worker_id
from mailbot.store.uow import UnitOfWork

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class App:
    settings: Settings
    database: Database
    services: Services
    service: Service
    ingestor: Ingestor
    outbox: Outbox
    daemon: Daemon
    credentials: TokenSources
    metrics: Metrics

    @property
    def uow(self) -> Callable[[], UnitOfWork]:
        return self.database.uow

    def close(self) -> None:
        self.services.sources.close()
        self.database.close()

    def context(self, uow: UnitOfWork, actor: str = "mailbot") -> HandlerContext:
        return self.services.context(uow.repo, actor=actor)

    def run_forever(self) -> None:
        """The daemon, with the staff console beside it when ``console.listen`` is set."""
        from mailbot.console.server import console_server

        server = console_server(self)
        if server is not None:
            server.start()
        try:
            self.daemon.run_forever()
        finally:
            if server is not None:
                server.stop()


def _opener(settings: Mailbox) -> Callable[[], MailSource]:
    return lambda: open_source(settings)


def bootstrap(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utcnow,
    source_factory: Callable[[], MailSource] | None = None,
    transport: Transport | None = None,
) -> App:
    database = open_database(settings)
    for problem in [*access_config_problems(settings), *register_config_problems(settings)]:
        log.warning("config incomplete: %s", problem)
    renderer = Renderer(settings.paths.templates_dir)
    credentials = TokenSources(settings, clock=clock,
                               keeper=DatabaseKeeper(database.uow, settings, renderer, clock))
    mailbox = source_factory or (lambda: open_source(settings.mailbox, credentials.mailbox))
    originals = mailbox
    if settings.mailboxes and source_factory is None:
        openers = {source_name(m): _opener(m) for m in settings.mailboxes}

        def originals() -> MailSource:  # each original deleted from its own mailbox
            return MailboxRouter(mailbox, openers)
    services = Services(settings, renderer, SourceRegistry.from_settings(settings.sources),
                        clock, originals, {source_name(m): m.address
                                           for m in settings.mailboxes if m.address})
    ingestor = Ingestor(services, database.uow)
    holder = worker_id()
    transport = transport or SmtpTransport(settings.smtp, tls_verify=settings.smtp.tls_verify,
                                          ca_file=settings.smtp.ca_file, oauth=credentials.smtp)
    status = Status(status_path(settings.paths.data_dir))
    metrics = Metrics()
    metrics.watch(database.uow, clock, settings.organisation.timezone)
    outbox = Outbox(database.uow, transport, settings.smtp, clock,
                    on_settled=lambda repo, row: outbox_settled(services.context(repo), row),
                    status=status, metrics=metrics, alone=database.statements_alone)
    daemon = Daemon(
        source_factory=mailbox,
        ingestor=ingestor,
        outbox=outbox,
        poll_interval=settings.mailbox.poll_interval,
        clock=clock,
        backoff=Backoff(settings.mailbox.reconnect_min_delay,
                        settings.mailbox.reconnect_max_delay),
        heartbeat=heartbeat_path(settings),
        jobs=DeadlineJobs(services, database.uow),
        credentials=credentials,
        status=status,
        metrics=metrics,
        lease=Lease(database.engine, mailbox().name, settings.mailbox.lease_time,
                    holder=holder),
        more=[(more.name, _opener(more),
               Lease(database.engine, source_name(more), more.lease_time, holder=holder),
               Backoff(more.reconnect_min_delay, more.reconnect_max_delay))
              for more in settings.mailboxes],
        crew=Crew(database.engine, holder, settings.mailbox.lease_time),
    )
    return App(settings, database, services, Service(services, database.uow), ingestor,
               outbox, daemon, credentials, metrics)
