"""A real Dovecot IMAP server for integration tests.

One Dovecot per test session (``dovecot_server``); starting one takes 0.05-0.15 s and a
restart about 0.1 s. Tests stay isolated because the passdb accepts any user name with
the password ``secret``: the ``dovecot`` fixture hands each test a fresh user, hence a
fresh, empty Maildir. Tests needing a differently configured server (e.g. without IDLE)
use ``dovecot_factory``. ``dovecot_factory(oauth2=URL)`` (OAuth2 mode) adds Dovecot's oauth2
passdb: XOAUTH2/OAUTHBEARER logins are valid when the token introspection at URL (RFC 7662,
``introspection_mode = post``) answers active for that user; PLAIN/LOGIN with ``secret`` stay.

When a test using these fixtures fails, the Dovecot log lines written during the test are
added to the failure report as a section "Dovecot log".

Runs as root (Dovecot drops to ``dovenull``/``dovecot`` for its own processes and to
``nobody`` for the mail processes) or as an ordinary user (everything runs as that user).
Dovecot is installed with ``scripts/install-test-deps.sh`` when missing.
"""

from __future__ import annotations

import grp
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from imapclient import IMAPClient

from tests.harness.wait import wait_for

REPO = Path(__file__).resolve().parents[2]
INSTALL_SCRIPT = REPO / "scripts" / "install-test-deps.sh"
HOST = "127.0.0.1"
PASSWORD = "secret"
START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0
STOP_GRACE = 0.3  # after SIGTERM, before SIGKILL

CONFIG = """\
# Written by tests/harness/dovecot.py
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
log_timestamp = "%H:%M:%S "
protocols = imap
listen = {host}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
auth_verbose = yes
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
mail_location = maildir:~/Maildir
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/home/%u
}}
service imap-login {{
  {chroot}
  inet_listener imap {{
    address = {host}
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  {chroot}
  # Unreachable: no auth penalty, which delays logins by seconds after a failed one.
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


OAUTH2_CONFIG = """\
# OAuth2 mode (tests/harness/dovecot.py)
auth_mechanisms = plain login xoauth2 oauthbearer
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {conf}
}}
"""

OAUTH2_ARGS = """\
# Written by tests/harness/dovecot.py
introspection_mode = post
introspection_url = {url}
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
timeout_msecs = 5000
"""


def _binary(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")


def ensure_dovecot() -> tuple[str, str]:
    """Paths of ``dovecot`` and ``doveadm``, installing them first when missing."""
    dovecot, doveadm = _binary("dovecot"), _binary("doveadm")
    if dovecot and doveadm:
        return dovecot, doveadm
    result = subprocess.run(
        [str(INSTALL_SCRIPT)], capture_output=True, text=True, check=False, timeout=600
    )
    dovecot, doveadm = _binary("dovecot"), _binary("doveadm")
    if not (dovecot and doveadm):
        pytest.fail(
            f"Dovecot is not installed and {INSTALL_SCRIPT} could not install it "
            f"(exit {result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}",
            pytrace=False,
        )
    return dovecot, doveadm


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class _Accounts:
    login_user: str
    internal_user: str
    internal_group: str
    mail_uid: int
    mail_gid: int


def _accounts() -> _Accounts:
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        return _Accounts("dovenull", "dovecot", "dovecot", nobody.pw_uid, nobody.pw_gid)
    user = pwd.getpwuid(os.geteuid()).pw_name
    group = grp.getgrgid(os.getegid()).gr_name
    return _Accounts(user, user, group, os.geteuid(), os.getegid())


class DovecotServer:
    """One Dovecot process tree with its own config, sockets, log and Maildirs in ``root``."""

    def __init__(self, root: Path, extra_config: str = "", port: int | None = None,
                 oauth2: str | None = None) -> None:
        self.dovecot, self.doveadm = ensure_dovecot()
        self.root = root
        self.host = HOST
        self.port = port or free_port()
        self.password = PASSWORD
        self.config_path = root / "dovecot.conf"
        self.log_path = root / "dovecot.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._users = itertools.count(1)
        accounts = _accounts()
        config = CONFIG.format(
            root=root,
            host=HOST,
            port=self.port,
            password=PASSWORD,
            # Login processes and anvil chroot by default, which needs root.
            chroot="" if os.geteuid() == 0 else "chroot =",
            **vars(accounts),
        )
        if oauth2 is not None:
            args = root / "dovecot-oauth2.conf.ext"
            args.write_text(OAUTH2_ARGS.format(url=oauth2), encoding="utf-8")
            args.chmod(0o644)
            config += OAUTH2_CONFIG.format(conf=args)
        self.config_path.write_text(config + extra_config, encoding="utf-8")
        self.log_path.touch()
        home = root / "home"
        home.mkdir()
        os.chown(home, accounts.mail_uid, accounts.mail_gid)

    @classmethod
    def create(cls, extra_config: str = "", oauth2: str | None = None) -> DovecotServer:
        """A server in a fresh directory under /tmp (not started)."""
        # pytest's tmp_path is private to root (0700); Dovecot's unprivileged
        # processes must be able to reach their sockets and Maildirs.
        root = Path(tempfile.mkdtemp(prefix="mailbot-dovecot-"))
        root.chmod(0o755)
        return cls(root, extra_config, oauth2=oauth2)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        if self.running:
            return
        wait_for(self._port_closed, timeout=STOP_TIMEOUT, message=f"port {self.port} to be free")
        stderr = (self.root / "dovecot.stderr").open("ab")
        with stderr:
            self._process = subprocess.Popen(
                [self.dovecot, "-F", "-c", str(self.config_path)],
                stdin=subprocess.DEVNULL,
                stdout=stderr,
                stderr=stderr,
                start_new_session=True,
            )
        try:
            wait_for(self._greets, timeout=START_TIMEOUT, interval=0.01, message="Dovecot")
        except AssertionError as exc:
            self.stop()
            raise RuntimeError(f"Dovecot did not start:\n{self.diagnostics()}") from exc

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        # Signal the whole process group: the master alone takes a second to stop its
        # children one by one, and sometimes lingers for a second even so.
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=STOP_TIMEOUT)
        # Login processes may outlive the master for a moment, holding the listener.
        wait_for(self._port_closed, timeout=STOP_TIMEOUT, message=f"port {self.port} to close")

    def restart(self) -> None:
        self.stop()
        self.start()

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def mailbox(self, user: str | None = None) -> DovecotMailbox:
        """A view on one user's mailbox; a new user (hence an empty Maildir) by default."""
        return DovecotMailbox(self, user or f"user{next(self._users)}")

    def doveadm_run(self, *args: str) -> str:
        result = subprocess.run(
            [self.doveadm, "-c", str(self.config_path), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
        if result.returncode != 0:
            raise RuntimeError(f"doveadm {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    def log_since(self, offset: int = 0, max_lines: int = 80) -> str:
        with self.log_path.open("rb") as log:
            log.seek(offset)
            lines = log.read().decode("utf-8", "replace").splitlines()
        return "\n".join(lines[-max_lines:])

    def diagnostics(self) -> str:
        stderr = self.root / "dovecot.stderr"
        output = stderr.read_text("utf-8", "replace") if stderr.exists() else ""
        return f"{output}\n--- {self.log_path} ---\n{self.log_since()}"

    def _greets(self) -> bool:
        if self._process is not None and self._process.poll() is not None:
            raise AssertionError(f"dovecot exited with {self._process.returncode}")
        try:
            with socket.create_connection((self.host, self.port), timeout=1) as sock:
                return sock.recv(64).startswith(b"* OK")
        except OSError:
            return False

    def _port_closed(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=1):
                return False
        except OSError:
            return True


class DovecotMailbox:
    """One user's mailbox on a DovecotServer, with a second client for checking."""

    def __init__(self, server: DovecotServer, user: str) -> None:
        self.server = server
        self.user = user
        self.password = server.password

    @property
    def host(self) -> str:
        return self.server.host

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def maildir(self) -> Path:
        return self.server.root / "home" / self.user / "Maildir"

    def url(self, folder: str = "INBOX") -> str:
        user, password = quote(self.user, safe=""), quote(self.password, safe="")
        return f"imap://{user}:{password}@{self.host}:{self.port}/{quote(folder)}"

    @contextmanager
    def client(self) -> Iterator[IMAPClient]:
        """A fresh logged-in IMAPClient, logged out afterwards."""
        client = IMAPClient(self.host, self.port, ssl=False, timeout=10)
        client.normalise_times = False
        with client:
            client.login(self.user, self.password)
            yield client

    def append(
        self,
        raw: bytes,
        folder: str = "INBOX",
        internaldate: datetime | None = None,
        flags: tuple[str, ...] = (),
    ) -> int:
        """Append a message (creating ``folder`` if needed); return its UID."""
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            response = client.append(folder, raw, flags=flags, msg_time=internaldate)
        # b"[APPENDUID <uidvalidity> <uid>] Append completed."
        return int(response.split(b"]", 1)[0].split()[-1])

    def uids(self, folder: str = "INBOX") -> list[int]:
        with self.client() as client:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            return sorted(client.search("ALL"))

    def flags(self, uid: int, folder: str = "INBOX") -> frozenset[str]:
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            found = client.get_flags([uid])
        if uid not in found:
            raise KeyError(f"no message with UID {uid} in {folder}")
        return frozenset(flag.decode() for flag in found[uid])

    def folder_messages(self, folder: str = "INBOX") -> dict[int, bytes]:
        """UID -> raw message of every message in ``folder`` ({} when it does not exist)."""
        with self.client() as client:
            if not client.folder_exists(folder):
                return {}
            client.select_folder(folder, readonly=True)
            fetched = client.fetch(client.search("ALL"), ["BODY.PEEK[]"])
        return {uid: data[b"BODY[]"] for uid, data in sorted(fetched.items())}

    def folders(self) -> list[str]:
        with self.client() as client:
            return sorted(name for _flags, _delim, name in client.list_folders())

    def uidvalidity(self, folder: str = "INBOX") -> int:
        with self.client() as client:
            return int(client.folder_status(folder, ["UIDVALIDITY"])[b"UIDVALIDITY"])

    def set_uidvalidity(self, value: int, folder: str = "INBOX") -> None:
        self.server.doveadm_run(
            "mailbox", "update", "-u", self.user, "--uid-validity", str(value), folder
        )

    def start(self) -> None:
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def restart(self) -> None:
        self.server.restart()


_LOGS = pytest.StashKey[list[tuple[DovecotServer, int]]]()


def _watch_log(request: pytest.FixtureRequest, server: DovecotServer) -> None:
    request.node.stash.setdefault(_LOGS, []).append((server, server.log_size()))


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[DovecotServer]:
    """The session's shared Dovecot; prefer ``dovecot`` (a fresh mailbox per test)."""
    server = DovecotServer.create()
    server.start()
    yield server
    server.destroy()


@pytest.fixture
def dovecot(dovecot_server: DovecotServer, request: pytest.FixtureRequest) -> DovecotMailbox:
    """A fresh, empty mailbox (new user) on the shared Dovecot."""
    dovecot_server.start()  # no-op unless an earlier test left it stopped
    _watch_log(request, dovecot_server)
    return dovecot_server.mailbox()


@pytest.fixture
def dovecot_factory(request: pytest.FixtureRequest) -> Iterator[Callable[..., DovecotServer]]:
    """Start extra Dovecots with extra config lines (``oauth2=URL``: OAuth2 mode, see the
    module's docstring); all are destroyed after the test."""
    servers: list[DovecotServer] = []

    def make(extra_config: str = "", oauth2: str | None = None) -> DovecotServer:
        server = DovecotServer.create(extra_config, oauth2)
        servers.append(server)
        server.start()
        _watch_log(request, server)
        return server

    yield make
    for server in servers:
        server.destroy()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report: pytest.TestReport = yield
    if report.failed:
        for server, offset in item.stash.get(_LOGS, []):
            if server.log_path.exists():
                name = f"Dovecot log (port {server.port}, during the test)"
                report.sections.append((name, server.log_since(offset)))
    return report


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if {"dovecot", "dovecot_server", "dovecot_factory"} & set(fixtures):
            item.add_marker(pytest.mark.dovecot)
