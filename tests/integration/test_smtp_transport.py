import asyncio
import gc
import socket
import warnings

import pytest

from mailbot.config import Smtp
from mailbot.demo.sink import EmlDirectorySink
from mailbot.errors import ConfigError, PermanentSendError, TransientSendError
from mailbot.send.compose import compose_reply, make_message_id, message_bytes
from mailbot.send.transport import SmtpTransport

SENDER = "privacy@example.org"
RECIPIENT = "jan@example.net"


def message(key="1"):
    return compose_reply(
        from_address=SENDER,
        from_name="Privacyteam Zoë",
        to=f"Jan Müller <{RECIPIENT}>",
        subject="Ontvangstbevestiging: uw verzoek",
        body="Beste Jan,\n\nWij hebben uw verzoek ontvangen.\n",
        message_id=make_message_id("example.org", "ack", key),
        in_reply_to="<original@example.net>",
        references=[],
        loop_value=f"ack-{key}",
        language="nl",
    )


def transport(url, **settings):
    tls = {k: settings.pop(k) for k in ("tls_verify", "ca_file") if k in settings}
    return SmtpTransport(Smtp(url=url, **settings), **tls)


def send(transport, data=None, recipients=(RECIPIENT,)):
    return transport.send_sync(
        message() if data is None else data, sender=SENDER, recipients=list(recipients)
    )


def test_message_arrives_with_its_envelope_and_bytes(smtp_sink):
    sent = message()
    reply = send(transport(smtp_sink.url), sent, recipients=[RECIPIENT, "copy@example.net"])

    [received] = smtp_sink.wait_for_count(1)
    assert reply == "2.0.0 OK queued as sink-1"
    assert received.mail_from == SENDER
    assert received.rcpt_tos == (RECIPIENT, "copy@example.net")
    assert received.data == message_bytes(sent)
    assert received.message["Message-ID"] == sent["Message-ID"]
    assert received.message["To"].addresses[0].display_name == "Jan Müller"
    assert received.login is None


def test_raw_bytes_and_the_null_sender(smtp_sink):
    data = message_bytes(message())
    asyncio.run(transport(smtp_sink.url).send(data, sender="", recipients=[RECIPIENT]))

    [received] = smtp_sink.wait_for_count(1)
    assert received.mail_from == "<>"
    assert received.data == data


def test_4xx_on_data_is_transient_until_the_server_accepts_again(smtp_sink):
    client = transport(smtp_sink.url)
    smtp_sink.refuse(451, "4.3.0 Mailbox busy")
    with pytest.raises(TransientSendError, match=r"451 4\.3\.0 Mailbox busy"):
        send(client)
    assert smtp_sink.messages == []

    smtp_sink.accept()
    send(client)
    assert len(smtp_sink.wait_for_count(1)) == 1


@pytest.mark.parametrize("stage", ["MAIL", "RCPT", "DATA"])
def test_5xx_is_permanent(smtp_sink, stage):
    smtp_sink.refuse(550, "5.7.1 Rejected", at=stage)
    with pytest.raises(PermanentSendError, match=r"550 5\.7\.1 Rejected"):
        send(transport(smtp_sink.url))
    assert smtp_sink.messages == []


def test_4xx_for_a_recipient_is_transient(smtp_sink):
    smtp_sink.refuse(450, "4.2.1 Greylisted", at="RCPT")
    with pytest.raises(TransientSendError, match="Greylisted"):
        send(transport(smtp_sink.url))


def test_one_refused_recipient_means_nothing_is_sent(smtp_sink):
    smtp_sink.refuse(550, "5.1.1 No such user", at="RCPT", recipients=["gone@example.net"])
    with pytest.raises(PermanentSendError, match=r"gone@example\.net: 550"):
        send(transport(smtp_sink.url), recipients=[RECIPIENT, "gone@example.net"])
    assert smtp_sink.messages == []


def test_server_down_is_transient_and_sending_resumes_when_it_is_back(smtp_sink):
    client = transport(smtp_sink.url)
    smtp_sink.stop()
    with pytest.raises(TransientSendError, match="unavailable"):
        send(client)

    smtp_sink.start()
    send(client)
    assert len(smtp_sink.wait_for_count(1)) == 1


def test_a_server_that_never_answers_times_out_as_transient():
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        with pytest.raises(TransientSendError, match=r"(?i)timed out"):
            send(transport(f"smtp://127.0.0.1:{port}", timeout=0.3))


def test_international_addresses_need_smtputf8(smtp_sink_factory):
    sink = smtp_sink_factory()
    send(transport(sink.url), recipients=["jürgen@bücher.example"])
    assert sink.wait_for_count(1)[0].rcpt_tos == ("jürgen@bücher.example",)

    old = smtp_sink_factory(enable_SMTPUTF8=False)
    with pytest.raises(PermanentSendError, match="SMTPUTF8"):
        send(transport(old.url), recipients=["jürgen@bücher.example"])


def test_the_demo_sink_keeps_each_message_as_an_eml_file(tmp_path):
    sent = message()
    with EmlDirectorySink(tmp_path / "sent") as sink:
        send(transport(sink.url), sent)
        send(transport(sink.url), message("2"))
        files = sink.stored()

    assert [f.suffix for f in files] == [".eml", ".eml"]
    assert sorted(p.name for p in (tmp_path / "sent").iterdir()) == [f.name for f in files]
    raw = files[0].read_bytes()
    assert raw.split(b"\r\n")[:2] == [b"Return-Path: <" + SENDER.encode() + b">",
                                      b"Delivered-To: " + RECIPIENT.encode()]
    assert raw.endswith(message_bytes(sent))
    assert not list((tmp_path / "sent").glob(".*.tmp"))


class TestAuth:
    USERS = {"mailbot": "s3cret p@ss"}  # noqa: RUF012

    def test_credentials_from_the_settings(self, smtp_sink_factory):
        sink = smtp_sink_factory(users=self.USERS)
        send(transport(sink.url, username="mailbot", password="s3cret p@ss"))
        assert sink.wait_for_count(1)[0].login == "mailbot"

    def test_credentials_from_the_url(self, smtp_sink_factory):
        sink = smtp_sink_factory(users=self.USERS)
        send(transport(f"smtp://mailbot:s3cret%20p%40ss@127.0.0.1:{sink.port}"))
        assert sink.wait_for_count(1)[0].login == "mailbot"

    def test_settings_win_over_the_url(self, smtp_sink_factory):
        sink = smtp_sink_factory(users=self.USERS)
        url = f"smtp://someone:wrong@127.0.0.1:{sink.port}"
        send(transport(url, username="mailbot", password="s3cret p@ss"))
        assert sink.wait_for_count(1)[0].login == "mailbot"

    def test_wrong_password_is_permanent_and_says_what_to_check(self, smtp_sink_factory):
        sink = smtp_sink_factory(users=self.USERS)
        with pytest.raises(PermanentSendError, match=r"535.*smtp\.username and smtp\.password"):
            send(transport(sink.url, username="mailbot", password="wrong"))
        assert sink.messages == []

    def test_without_credentials_the_server_refuses_for_good(self, smtp_sink_factory):
        sink = smtp_sink_factory(users=self.USERS)
        with pytest.raises(PermanentSendError, match="530"):
            send(transport(sink.url))

    def test_a_password_without_a_user_name_is_a_config_error(self):
        with pytest.raises(ConfigError, match=r"smtp\.username"):
            transport("smtp://127.0.0.1:2525", password="pw")


class TestTls:
    def test_starttls_with_the_certificate_trusted(self, smtp_sink_factory, tls_certificate):
        sink = smtp_sink_factory(
            tls_context=tls_certificate.server_context(), require_starttls=True
        )
        url = f"smtp+starttls://localhost:{sink.port}"
        send(transport(url, ca_file=tls_certificate.cert_file))
        assert len(sink.wait_for_count(1)) == 1

    def test_starttls_with_verification_turned_off(self, smtp_sink_factory, tls_certificate):
        sink = smtp_sink_factory(
            tls_context=tls_certificate.server_context(), require_starttls=True
        )
        send(transport(f"smtp+starttls://127.0.0.1:{sink.port}", tls_verify=False))
        assert len(sink.wait_for_count(1)) == 1

    def test_an_untrusted_certificate_is_refused(self, smtp_sink_factory, tls_certificate):
        sink = smtp_sink_factory(
            tls_context=tls_certificate.server_context(), require_starttls=True
        )
        with pytest.raises(TransientSendError, match=r"certificate .* not trusted"):
            send(transport(f"smtp+starttls://localhost:{sink.port}"))
        assert sink.messages == []

    def test_plain_smtp_never_upgrades_on_its_own(self, smtp_sink_factory, tls_certificate):
        sink = smtp_sink_factory(tls_context=tls_certificate.server_context())
        send(transport(f"smtp://localhost:{sink.port}"))
        assert len(sink.wait_for_count(1)) == 1

    def test_starttls_required_but_not_offered_is_permanent(self, smtp_sink):
        with pytest.raises(PermanentSendError, match="STARTTLS"):
            send(transport(f"smtp+starttls://127.0.0.1:{smtp_sink.port}"))

    def test_auth_over_starttls(self, smtp_sink_factory, tls_certificate):
        sink = smtp_sink_factory(
            users={"mailbot": "pw"}, tls_context=tls_certificate.server_context()
        )
        url = f"smtp+starttls://mailbot:pw@localhost:{sink.port}"
        send(transport(url, ca_file=tls_certificate.cert_file))
        assert sink.wait_for_count(1)[0].login == "mailbot"

    def test_an_unreadable_ca_file_is_a_config_error(self, tmp_path):
        with pytest.raises(ConfigError, match=r"smtp\.ca_file"):
            transport("smtp+starttls://localhost:587", ca_file=tmp_path / "missing.pem")

    def test_implicit_tls(self, smtp_sink_factory, tls_certificate):
        sink = smtp_sink_factory(ssl_context=tls_certificate.server_context())
        assert sink.url.startswith("smtps://")
        send(transport(f"smtps://localhost:{sink.port}", ca_file=tls_certificate.cert_file))
        assert len(sink.wait_for_count(1)) == 1

    @pytest.mark.parametrize("scheme", ["smtps", "smtp+starttls"])
    def test_the_tls_connection_is_closed_when_sending_returns(
        self, smtp_sink_factory, tls_certificate, scheme
    ):
        """The outbox sends each message in its own event loop: a connection still closing
        when that loop ends leaves its socket open until the garbage collector finds it."""
        context = tls_certificate.server_context()
        sink = smtp_sink_factory(**({"ssl_context": context} if scheme == "smtps"
                                    else {"tls_context": context}))
        gc.collect()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ResourceWarning)
            send(transport(f"{scheme}://localhost:{sink.port}",
                           ca_file=tls_certificate.cert_file))
            gc.collect()
        assert [str(w.message) for w in caught if w.category is ResourceWarning] == []
        assert len(sink.wait_for_count(1)) == 1


# A round of messages over one connection (SmtpTransport.session) -----------------------


def test_a_session_sends_several_messages_over_one_connection(smtp_sink):
    with transport(smtp_sink.url).batch() as session:
        for key in ("1", "2", "3"):
            session.send_sync(message(key), sender=SENDER, recipients=[RECIPIENT])
    received = smtp_sink.wait_for_count(3)
    assert [m.message["Message-ID"] for m in received] == [
        message(k)["Message-ID"] for k in ("1", "2", "3")]
    assert len({m.peer for m in received}) == 1


def test_a_refusal_in_a_session_stops_only_that_message(smtp_sink):
    with transport(smtp_sink.url).batch() as session:
        session.send_sync(message("1"), sender=SENDER, recipients=[RECIPIENT])
        smtp_sink.refuse(550, "5.1.1 no such user", at="RCPT", recipients=["gone@example.net"])
        with pytest.raises(PermanentSendError, match=r"gone@example\.net: 550"):
            session.send_sync(message("2"), sender=SENDER, recipients=["gone@example.net"])
        smtp_sink.refuse(451, "4.3.0 Try again later", at="DATA")
        with pytest.raises(TransientSendError, match="451"):
            session.send_sync(message("3"), sender=SENDER, recipients=[RECIPIENT])
        smtp_sink.accept()
        session.send_sync(message("4"), sender=SENDER, recipients=[RECIPIENT])
    received = smtp_sink.wait_for_count(2)
    assert [m.message["Message-ID"] for m in received] == [
        message(k)["Message-ID"] for k in ("1", "4")]


def test_a_session_reaches_no_server_with_a_temporary_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with transport(f"smtp://127.0.0.1:{port}").batch() as session, \
            pytest.raises(TransientSendError, match="unavailable"):
        session.send_sync(message(), sender=SENDER, recipients=[RECIPIENT])


@pytest.mark.dovecot
def test_the_daemon_delivers_a_round_over_one_connection(tmp_path, dovecot, smtp_sink,
                                                         app_factory):
    from tests.harness.app import make_settings
    from tests.harness.mails import question

    app = app_factory(make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url))
    for number in range(3):
        dovecot.append(question(number, tag="round"))
    app.daemon.run_once()
    received = smtp_sink.wait_for_count(3)
    assert sorted(m.rcpt_tos[0] for m in received) == [
        f"round{n}@example.org" for n in range(3)]
    assert len({m.peer for m in received}) == 1
    assert app.daemon.delivered.sent and not app.daemon.delivered.retrying
