"""The outbox's round on a blocking socket (send/blocking.py) against a real SMTP server
(aiosmtpd in this process): what arrives, what is refused and how, a connection the server
dropped between messages, and that every failure reads as the aiosmtplib client's does."""

import asyncio
import socket
import time
from types import SimpleNamespace

import pytest

from mailbot.config import Smtp
from mailbot.domain.states import OutboxStatus
from mailbot.errors import PermanentSendError, SendError, TransientSendError
from mailbot.send.blocking import BlockingSmtpSession
from mailbot.send.compose import message_bytes
from mailbot.send.transport import SmtpSession, SmtpTransport
from tests.harness.smtp import SmtpSink, _RecordingHandler
from tests.integration.test_smtp_transport import RECIPIENT, SENDER, message, transport

USERS = {"mailbot": "s3cret p@ss"}
IDLE = 0.5  # seconds after which the sink closes an idle connection, where it does


def session(url, **settings):
    made = transport(url, **settings).batch()
    assert isinstance(made, BlockingSmtpSession)
    return made


def deliver(sending, key="1", recipients=(RECIPIENT,), sender=SENDER):
    return sending.send_sync(message(key), sender=sender, recipients=list(recipients))


def ids(received):
    return [m.message["Message-ID"] for m in received]


def outcome(send):
    try:
        return send()
    except SendError as exc:
        return type(exc), str(exc)


def same_failure(url, **settings):
    """The failure of one message through each client: (class, text) twice."""
    ours = session(url, **settings)
    with ours:
        blocking_outcome = outcome(lambda: deliver(ours))
    async_outcome = outcome(lambda: transport(url, **settings).send_sync(
        message(), sender=SENDER, recipients=[RECIPIENT]))
    return blocking_outcome, async_outcome


def test_without_xoauth2_a_round_goes_over_a_blocking_socket():
    assert isinstance(transport("smtp://127.0.0.1:2525").batch(), BlockingSmtpSession)
    xoauth2 = SmtpTransport(Smtp(url="smtp://127.0.0.1:2525"),
                            oauth=SimpleNamespace(user="mailbot@example.org"))  # type: ignore[arg-type]
    assert isinstance(xoauth2.batch(), SmtpSession)
    # smtplib writes credentials in ASCII only
    assert isinstance(transport("smtp://127.0.0.1:2525", username="zoë", password="pw").batch(),
                      SmtpSession)


def test_a_round_delivers_each_message_once_over_one_connection(smtp_sink):
    sent = {key: message(key) for key in "12345"}
    with session(smtp_sink.url) as sending:
        replies = [sending.send_sync(sent[key], sender=SENDER, recipients=[RECIPIENT])
                   for key in "123"]
        sending.send_sync(message_bytes(sent["4"]), sender="", recipients=[RECIPIENT])
        sending.send_sync(sent["5"], sender=SENDER, recipients=[RECIPIENT, "copy@example.net"])
    received = smtp_sink.wait_for_count(5)
    assert replies == [f"2.0.0 OK queued as sink-{n}" for n in (1, 2, 3)]
    assert ids(received) == [sent[k]["Message-ID"] for k in "12345"]
    assert [m.data for m in received] == [message_bytes(sent[k]) for k in "12345"]
    assert received[3].mail_from == "<>" and received[0].mail_from == SENDER
    assert received[4].rcpt_tos == (RECIPIENT, "copy@example.net")
    assert len({m.peer for m in received}) == 1
    time.sleep(0.05)
    assert len(smtp_sink.messages) == 5


def test_the_bytes_are_those_aiosmtplib_sends(smtp_sink):
    """Bare line ends become CRLF and a leading dot is doubled, as aiosmtplib does."""
    raw = b"Subject: x\nMessage-ID: <raw@example.org>\n\n.a dot\rline\r\n..two\n"
    with session(smtp_sink.url) as sending:
        sending.send_sync(raw, sender=SENDER, recipients=[RECIPIENT])
    asyncio.run(transport(smtp_sink.url).send(raw, sender=SENDER, recipients=[RECIPIENT]))
    ours, theirs = smtp_sink.wait_for_count(2)
    assert ours.data == theirs.data


def test_international_addresses_need_smtputf8(smtp_sink_factory):
    sink = smtp_sink_factory()
    with session(sink.url) as sending:
        deliver(sending, recipients=["jürgen@bücher.example"])
    assert sink.wait_for_count(1)[0].rcpt_tos == ("jürgen@bücher.example",)
    old = smtp_sink_factory(enable_SMTPUTF8=False)
    with session(old.url) as sending, pytest.raises(PermanentSendError, match="SMTPUTF8"):
        deliver(sending, recipients=["jürgen@bücher.example"])


def test_a_refused_recipient_is_permanent_and_nothing_is_sent(smtp_sink):
    smtp_sink.refuse(550, "5.1.1 No such user", at="RCPT", recipients=["gone@example.net"])
    with session(smtp_sink.url) as sending:
        deliver(sending, "1")
        with pytest.raises(PermanentSendError, match=r"gone@example\.net: 550 5\.1\.1"):
            deliver(sending, "2", recipients=[RECIPIENT, "gone@example.net"])
        deliver(sending, "3")
    received = smtp_sink.wait_for_count(2)
    time.sleep(0.05)
    assert ids(smtp_sink.messages) == ids(received) == [message(k)["Message-ID"]
                                                         for k in ("1", "3")]


def test_a_4xx_is_transient_and_the_next_message_goes(smtp_sink):
    with session(smtp_sink.url) as sending:
        smtp_sink.refuse(451, "4.3.0 Mailbox busy", at="DATA")
        with pytest.raises(TransientSendError, match=r"answered 451 4\.3\.0 Mailbox busy"):
            deliver(sending, "1")
        smtp_sink.refuse(450, "4.2.1 Greylisted", at="RCPT")
        with pytest.raises(TransientSendError, match="Greylisted"):
            deliver(sending, "2")
        smtp_sink.accept()
        deliver(sending, "3")
    assert ids(smtp_sink.wait_for_count(1)) == [message("3")["Message-ID"]]


@pytest.mark.parametrize(("code", "stage"), [(550, "MAIL"), (550, "RCPT"), (550, "DATA"),
                                             (451, "MAIL"), (450, "RCPT"), (451, "DATA")])
def test_a_refusal_reads_as_the_aiosmtplib_clients(smtp_sink, code, stage):
    smtp_sink.refuse(code, f"{code // 100}.7.1 Not now", at=stage)
    ours, theirs = same_failure(smtp_sink.url)
    assert ours == theirs
    assert ours[0] is (PermanentSendError if code >= 500 else TransientSendError)
    assert smtp_sink.messages == []


class _ClosingAfterFirst(_RecordingHandler):
    """Answers the first message, then closes its connection as an idle timeout does:
    with a 421 (``say``) or without a word."""

    def __init__(self, say: bytes) -> None:
        super().__init__({})
        self.say = say

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if len(self.received) == 1:
            transport = server.transport
            asyncio.get_running_loop().call_later(
                0.05, lambda: (transport.write(self.say), transport.close()))
        return reply


@pytest.mark.parametrize("say", [b"", b"421 4.4.2 Idle timeout, closing\r\n"],
                         ids=["silently", "with a 421"])
def test_a_connection_the_server_closed_is_opened_again_and_nothing_is_sent_twice(say):
    with sink_with(_ClosingAfterFirst(say)) as sink:
        with session(sink.url) as sending:
            deliver(sending, "1")
            time.sleep(0.3)  # the server closes the kept connection meanwhile
            deliver(sending, "2")
            deliver(sending, "3")
        received = sink.wait_for_count(3)
        time.sleep(0.05)
        assert ids(sink.messages) == ids(received) == [message(k)["Message-ID"]
                                                       for k in "123"]
        assert received[0].peer != received[1].peer == received[2].peer


def test_an_idle_timeout_of_the_server_costs_nothing_but_a_new_connection(smtp_sink_factory):
    sink = smtp_sink_factory(timeout=IDLE)  # aiosmtpd closes a connection idle that long
    with session(sink.url) as sending:
        deliver(sending, "1")
        time.sleep(2.5 * IDLE)
        deliver(sending, "2")
    received = sink.wait_for_count(2)
    assert ids(received) == [message(k)["Message-ID"] for k in "12"]
    assert received[0].peer != received[1].peer


class _ClosingAtSecondMail(_RecordingHandler):
    """Closes the first connection when its second MAIL comes, without answering it: a
    connection lost just as the next message began."""

    def __init__(self) -> None:
        super().__init__({})
        self.mails: list[object] = []

    async def handle_MAIL(self, server, session, envelope, address, options):
        self.mails.append(session.peer)
        if self.mails.count(self.mails[0]) == 2 and session.peer == self.mails[0]:
            server.transport.close()
        return await super().handle_MAIL(server, session, envelope, address, options)


def sink_with(handler: _RecordingHandler) -> SmtpSink:
    sink = SmtpSink()
    sink._recorder = handler
    sink.handler = handler
    return sink


def test_a_connection_lost_at_mail_is_opened_again_before_data():
    with sink_with(_ClosingAtSecondMail()) as sink, session(sink.url) as sending:
        for key in "123":
            deliver(sending, key)
    received = sink.wait_for_count(3)
    time.sleep(0.05)
    assert ids(sink.messages) == [message(k)["Message-ID"] for k in "123"]
    assert received[0].peer != received[1].peer == received[2].peer


class _DroppingInSecondData(_RecordingHandler):
    """Takes the second message, then drops the connection instead of answering."""

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if len(self.received) == 2:
            server.transport.close()
        return reply


def test_a_kept_connection_lost_after_data_began_is_not_tried_again():
    with sink_with(_DroppingInSecondData({})) as sink, session(sink.url) as sending:
        deliver(sending, "1")
        with pytest.raises(TransientSendError, match="unavailable"):
            deliver(sending, "2")
        sink.wait_for_count(2)
        time.sleep(0.1)
        # it may have arrived: the outbox decides when to try it again, not the session
        assert ids(sink.messages) == [message(k)["Message-ID"] for k in "12"]


def test_a_server_that_never_answers_times_out_as_transient():
    with socket.create_server(("127.0.0.1", 0)) as silent:
        url = f"smtp://127.0.0.1:{silent.getsockname()[1]}"
        with session(url, timeout=0.3) as sending, \
                pytest.raises(TransientSendError, match="timed out: Timed out"):
            deliver(sending)


def test_a_server_that_is_down_is_transient_and_the_round_goes_on_when_it_is_back(smtp_sink):
    url = smtp_sink.url
    smtp_sink.stop()
    with session(url) as sending:
        with pytest.raises(TransientSendError,
                           match=r"unavailable: Error connecting to 127\.0\.0\.1 on port"):
            deliver(sending, "1")
        smtp_sink.start()
        deliver(sending, "2")
    assert ids(smtp_sink.wait_for_count(1)) == [message("2")["Message-ID"]]


class TestLogin:
    def test_the_configured_user_logs_in(self, smtp_sink_factory):
        sink = smtp_sink_factory(users=USERS)
        with session(sink.url, username="mailbot", password="s3cret p@ss") as sending:
            deliver(sending, "1")
            deliver(sending, "2")
        assert [m.login for m in sink.wait_for_count(2)] == ["mailbot", "mailbot"]

    def test_credentials_from_the_url(self, smtp_sink_factory):
        sink = smtp_sink_factory(users=USERS)
        with session(f"smtp://mailbot:s3cret%20p%40ss@127.0.0.1:{sink.port}") as sending:
            deliver(sending)
        assert sink.wait_for_count(1)[0].login == "mailbot"

    def test_a_refused_login_is_permanent_and_reads_as_the_aiosmtplib_clients(
            self, smtp_sink_factory):
        sink = smtp_sink_factory(users=USERS)
        ours, theirs = same_failure(sink.url, username="mailbot", password="wrong")
        assert ours == theirs
        assert ours[0] is PermanentSendError
        assert "535" in ours[1] and "check smtp.username and smtp.password" in ours[1]
        assert sink.messages == []

    def test_without_credentials_the_server_refuses_for_good(self, smtp_sink_factory):
        sink = smtp_sink_factory(users=USERS)
        ours, theirs = same_failure(sink.url)
        assert ours == theirs and ours[0] is PermanentSendError and "530" in ours[1]

    def test_a_server_without_auth_reads_as_the_aiosmtplib_clients(self, smtp_sink):
        ours, theirs = same_failure(smtp_sink.url, username="mailbot", password="pw")
        assert ours == theirs and ours[0] is PermanentSendError


class TestTls:
    def test_starttls_with_the_certificate_trusted(self, smtp_sink_factory, tls_certificate):
        sink = smtp_sink_factory(users={"mailbot": "pw"},
                                 tls_context=tls_certificate.server_context(),
                                 require_starttls=True)
        url = f"smtp+starttls://mailbot:pw@localhost:{sink.port}"
        with session(url, ca_file=tls_certificate.cert_file) as sending:
            deliver(sending, "1")
            deliver(sending, "2")
        received = sink.wait_for_count(2)
        assert [m.login for m in received] == ["mailbot", "mailbot"]
        assert len({m.peer for m in received}) == 1

    def test_implicit_tls(self, smtp_sink_factory, tls_certificate):
        sink = smtp_sink_factory(ssl_context=tls_certificate.server_context())
        with session(f"smtps://localhost:{sink.port}",
                     ca_file=tls_certificate.cert_file) as sending:
            deliver(sending, "1")
            deliver(sending, "2")
        assert len({m.peer for m in sink.wait_for_count(2)}) == 1

    def test_starttls_with_verification_turned_off(self, smtp_sink_factory, tls_certificate):
        sink = smtp_sink_factory(tls_context=tls_certificate.server_context(),
                                 require_starttls=True)
        with session(f"smtp+starttls://127.0.0.1:{sink.port}", tls_verify=False) as sending:
            deliver(sending)
        assert len(sink.wait_for_count(1)) == 1

    @pytest.mark.parametrize("scheme", ["smtps", "smtp+starttls"])
    def test_an_untrusted_certificate_reads_as_the_aiosmtplib_clients(
            self, smtp_sink_factory, tls_certificate, scheme):
        context = tls_certificate.server_context()
        sink = smtp_sink_factory(**({"ssl_context": context} if scheme == "smtps"
                                    else {"tls_context": context}))
        ours, theirs = same_failure(f"{scheme}://localhost:{sink.port}")
        assert ours == theirs
        assert ours[0] is TransientSendError and "certificate" in ours[1]
        assert sink.messages == []

    def test_starttls_required_but_not_offered_reads_as_the_aiosmtplib_clients(self,
                                                                              smtp_sink):
        ours, theirs = same_failure(f"smtp+starttls://127.0.0.1:{smtp_sink.port}")
        assert ours == theirs and ours[0] is PermanentSendError and "STARTTLS" in ours[1]

    def test_plain_smtp_never_upgrades_on_its_own(self, smtp_sink_factory, tls_certificate):
        sink = smtp_sink_factory(tls_context=tls_certificate.server_context())
        with session(f"smtp://localhost:{sink.port}") as sending:
            deliver(sending)
        assert len(sink.wait_for_count(1)) == 1


# The outbox's round (SQLite and PostgreSQL) ---------------------------------------------


def test_a_round_whose_connection_the_server_closes_settles_each_message_once(
        tmp_path, app_factory, database_url):
    from tests.integration.test_outbox_batches import START, Clock, app_for, queue, rows

    with sink_with(_ClosingAtSecondMail()) as sink:
        app = app_for(tmp_path, app_factory, database_url, sink.url, Clock())
        assert isinstance(app.outbox.transport.batch(), BlockingSmtpSession)
        ids = queue(app, 4, START)
        report = app.outbox.deliver_due()
        assert sorted(report.sent) == ids and not report.retrying and not report.failed
        received = sink.wait_for_count(4)
        time.sleep(0.05)
        assert len(sink.messages) == 4
        assert sorted(m.rcpt_tos[0] for m in received) == [f"p{n}@example.org" for n in range(4)]
        assert len({m.peer for m in received}) == 2
        assert {r.status for r in rows(app).values()} == {OutboxStatus.SENT}
        assert all(r.attempts == 1 for r in rows(app).values())


def test_a_round_with_a_refused_recipient_fails_that_message_only(
        tmp_path, app_factory, database_url, smtp_sink):
    from tests.integration.test_outbox_batches import START, Clock, app_for, queue, rows

    app = app_for(tmp_path, app_factory, database_url, smtp_sink.url, Clock())
    ids = queue(app, 4, START)
    smtp_sink.refuse(550, "5.1.1 No such user", at="RCPT", recipients=["p1@example.org"])
    report = app.outbox.deliver_due()
    assert report.failed == [ids[1]] and sorted(report.sent) == [ids[0], *ids[2:]]
    assert len({m.peer for m in smtp_sink.wait_for_count(3)}) == 2  # anew after the refusal
    with app.uow() as uow:
        row = uow.repo.outbox.get(ids[1])
        assert row is not None and row.status == OutboxStatus.FAILED
        assert row.last_error == (f"SMTP server 127.0.0.1:{smtp_sink.port} refused "
                                  "recipient(s), nothing sent: p1@example.org: 550 5.1.1 No "
                                  "such user")
    assert rows(app)[ids[0]].status == OutboxStatus.SENT
