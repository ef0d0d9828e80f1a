"""The one place that wires real adapters together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from mailbot.config import Settings
from mailbot.daemon import Daemon
from mailbot.deadlines.jobs import DeadlineJobs
from mailbot.draft.render import Renderer
from mailbot.handle.acknowledge import Acknowledger
from mailbot.handle.context import HandlerContext
from mailbot.ingest import Ingestor
from mailbot.mailbox import MailSource, open_source
from mailbot.mailbox.backoff import Backoff
from mailbot.send.outbox import Outbox, Transport
from mailbot.send.transport import SmtpTransport
from mailbot.sources.registry import SourceRegistry
from mailbot.store.crypto import Cipher, load_keys
from mailbot.store.engine import ensure_current, make_engine
from mailbot.store.uow import UnitOfWork, uow_factory


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class App:
    settings: Settings
    engine: Engine
    uow: Callable[[], UnitOfWork]
    renderer: Renderer
    sources: SourceRegistry
    ingestor: Ingestor
    outbox: Outbox
    daemon: Daemon

    def close(self) -> None:
        self.engine.dispose()

    def context(self, uow: UnitOfWork, actor: str = "mailbot") -> HandlerContext:
        return HandlerContext(self.settings, uow.repo, self.renderer, self.sources,
                              self.ingestor.clock(), actor)

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


def heartbeat_path(settings: Settings) -> Path:
    return settings.paths.data_dir / "heartbeat"


def open_database(settings: Settings, *, migrate: bool | None = None) -> Engine:
    cipher = Cipher(load_keys(
        settings.security.key.get_secret_value() if settings.security.key else None,
        settings.security.key_file))
    engine = make_engine(settings.database_url, cipher, echo=settings.database.echo)
    ensure_current(engine, migrate=settings.database.auto_migrate if migrate is None
                   else migrate)
    return engine


def bootstrap(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utcnow,
    source_factory: Callable[[], MailSource] | None = None,
    transport: Transport | None = None,
) -> App:
    engine = open_database(settings)
    uow = uow_factory(engine)
    renderer = Renderer(settings.paths.templates_dir)
    sources = SourceRegistry.from_settings(settings.sources)
    ingestor = Ingestor(settings, uow, Acknowledger(settings, renderer), clock, sources)
    transport = transport or SmtpTransport(settings.smtp, tls_verify=settings.smtp.tls_verify,
                                          ca_file=settings.smtp.ca_file)
    outbox = Outbox(uow, transport, settings.smtp, clock)
    daemon = Daemon(
        source_factory=source_factory or (lambda: open_source(settings.mailbox)),
        ingestor=ingestor,
        outbox=outbox,
        poll_interval=settings.mailbox.poll_interval,
        clock=clock,
        backoff=Backoff(settings.mailbox.reconnect_min_delay,
                        settings.mailbox.reconnect_max_delay),
        heartbeat=heartbeat_path(settings),
        jobs=DeadlineJobs(settings, uow, renderer, sources, clock),
    )
    return App(settings, engine, uow, renderer, sources, ingestor, outbox, daemon)
