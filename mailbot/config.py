"""Typed settings: a TOML file (``--config PATH`` or ``MAILBOT_CONFIG``), overridden by the
environment (``MAILBOT_<SECTION>__<KEY>``). Any error names the key in one line."""

from __future__ import annotations

import os
import tomllib
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from mailbot.errors import ConfigError

LANGUAGES = ("nl", "en", "de", "fr")
Language = Literal["nl", "en", "de", "fr"]
Seconds = Annotated[float, Field(gt=0)]
# A text a reply shows: one text for every language, or a table per language,
# e.g. {nl = "klantenadministratie", en = "customer administration"}.
Text = str | dict[Language, str]


def text_for(value: Text, language: str, fallback: str = "en") -> str:
    """``value`` in ``language``; else in ``fallback``, else English, else any given."""
    if isinstance(value, str):
        return value
    for lang in (language, fallback, "en", *LANGUAGES):
        if value.get(lang):  # type: ignore[call-overload]
            return value[lang]  # type: ignore[index]
    return ""


def missing_languages(value: Text) -> tuple[str, ...]:
    """The languages a per-language ``value`` has no text for (none for a plain text)."""
    if isinstance(value, str):
        return ()
    return tuple(lang for lang in LANGUAGES if not value.get(lang))  # type: ignore[call-overload]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Organisation(Section):
    name: str
    address: str
    language: Literal["nl", "en", "de", "fr"] = "nl"
    timezone: str = "Europe/Amsterdam"
    other_addresses: tuple[str, ...] = ()
    # The country calling code a national phone number ("06-12345678") is read with, so an
    # objection to sales calls holds however the number was written.
    calling_code: Annotated[str, Field(pattern=r"^[1-9][0-9]{0,2}$")] = "31"
    # For the register of processing activities (art. 30(2)(a) and (d)): our postal address
    # and phone, our data protection officer (name and how to reach them), and a general
    # description of our technical and organisational security measures (art. 32(1)).
    contact: str = ""
    dpo: str = ""
    security_measures: Text = ""

    @field_validator("address", "other_addresses", mode="after")
    @classmethod
    def _lower_addresses(cls, value: str | tuple[str, ...]) -> str | tuple[str, ...]:
        def check(addr: str) -> str:
            local, at, domain = addr.strip().partition("@")
            if not (local and at and "." in domain):
                raise ValueError(f"not an e-mail address: {addr!r}")
            return addr.strip().lower()

        return check(value) if isinstance(value, str) else tuple(check(a) for a in value)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def own_addresses(self) -> frozenset[str]:
        return frozenset((self.address, *self.other_addresses))


Provider = Literal["microsoft", "google", "generic"]
DEFAULT_SCOPES = {"microsoft": "https://outlook.office365.com/.default",
                  "google": "https://mail.google.com/"}
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
MICROSOFT_AUTHORITY = "https://login.microsoftonline.com"


class OAuth2(Section):
    """Where mailbot gets OAuth2 access tokens for XOAUTH2 logins (``auth = "oauth2"``).

    microsoft: Microsoft 365, app-only (client credentials) with ``tenant``, ``client_id``
    and ``client_secret``/``client_secret_file`` or ``certificate``; google: Gmail, a
    service account with domain-wide delegation (``service_account_file``) or a stored
    refresh token (``refresh_token_file`` with ``client_id`` and a secret); generic: any
    OAuth2 token endpoint (``token_url``), client credentials or a stored refresh token."""

    provider: Provider
    user: str | None = None  # the mailbox logged in as; default: username or the URL's user
    client_id: str | None = None
    client_secret: SecretStr | None = None
    client_secret_file: Path | None = None
    certificate: Path | None = None  # microsoft: one PEM file, private key and certificate
    tenant: str | None = None  # microsoft: the directory (tenant) id or domain
    authority: str | None = None  # microsoft: default https://login.microsoftonline.com/TENANT
    service_account_file: Path | None = None  # google: the service account's JSON key
    refresh_token_file: Path | None = None  # google, generic: a refresh token (one line)
    token_url: str | None = None  # generic: required; google: default oauth2.googleapis.com
    scope: str | None = None  # default: the provider's IMAP/SMTP scope; generic: none
    refresh_margin: Annotated[float, Field(ge=0)] = 300  # seconds before expiry to refresh
    ca_file: Path | None = None  # trust a private CA for the token endpoint
    timeout: Seconds = 30

    @model_validator(mode="after")
    def _complete(self) -> OAuth2:
        secret = self.client_secret is not None or self.client_secret_file is not None
        if self.provider == "microsoft":
            if not (self.tenant or self.authority):
                raise ValueError("provider microsoft needs tenant (or authority)")
            if not self.client_id:
                raise ValueError("provider microsoft needs client_id")
            if not (secret or self.certificate):
                raise ValueError("provider microsoft needs client_secret, client_secret_file "
                                 "or certificate")
        elif self.provider == "google":
            if self.service_account_file is None and self.refresh_token_file is None:
                raise ValueError("provider google needs service_account_file (domain-wide "
                                 "delegation) or refresh_token_file")
            if self.service_account_file is None and not (self.client_id and secret):
                raise ValueError("provider google with refresh_token_file needs client_id "
                                 "and client_secret (or client_secret_file)")
        else:
            if not self.token_url:
                raise ValueError("provider generic needs token_url")
            if not self.client_id:
                raise ValueError("provider generic needs client_id")
            if not (secret or self.refresh_token_file):
                raise ValueError("provider generic needs client_secret (client credentials) "
                                 "or refresh_token_file")
        return self

    @property
    def scopes(self) -> list[str]:
        scope = self.scope if self.scope is not None else DEFAULT_SCOPES.get(self.provider, "")
        return scope.split()

    @property
    def token_endpoint(self) -> str:
        if self.provider == "microsoft":
            return self.authority or f"{MICROSOFT_AUTHORITY}/{self.tenant}"
        return self.token_url or GOOGLE_TOKEN_URL


Auth = Literal["password", "oauth2"]


class Mailbox(Section):
    url: str
    auth: Auth = "password"
    username: str | None = None
    password: SecretStr | None = None
    oauth2: OAuth2 | None = None  # with auth = "oauth2"
    processed_folder: str | None = None  # move recorded mail here; None: keep it, set `keyword`
    keyword: str = "$MailbotSeen"
    idle: bool = True
    idle_renew: Annotated[float, Field(gt=0, le=29 * 60)] = 25 * 60
    poll_interval: Seconds = 60
    timeout: Seconds = 30
    reconnect_min_delay: Seconds = 1
    reconnect_max_delay: Seconds = 300
    max_size: Annotated[int, Field(gt=0)] = 25 * 1024 * 1024
    # Several workers on one PostgreSQL database: one holds the mailbox and renews its lease;
    # when it stops renewing, another takes the mailbox over after this many seconds.
    lease_time: Annotated[float, Field(ge=3)] = 15

    @field_validator("url")
    @classmethod
    def _scheme(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("imap", "imaps", "maildir"):
            raise ValueError("must start with imap://, imaps:// or maildir://")
        if parts.scheme == "maildir" and not parts.path:
            raise ValueError("maildir:// needs a path, e.g. maildir:///var/mail/privacy")
        if parts.scheme != "maildir" and not parts.hostname:
            raise ValueError("needs a host, e.g. imap://user:pass@mail.example.org:143/INBOX")
        return value

    @model_validator(mode="after")
    def _oauth2(self) -> Mailbox:
        if self.auth == "oauth2" and self.oauth2 is None:
            raise ValueError('auth = "oauth2" needs a [mailbox.oauth2] section (provider, ...)')
        return self


class MoreMailbox(Mailbox):
    """Another mailbox fetched beside ``[mailbox]`` (a department's, a brand's): one
    ``[[mailboxes]]`` table each, with the keys of ``[mailbox]`` and a name. Replies to its
    mail come from its own ``address`` when one is set."""

    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
    address: str | None = None

    @field_validator("address", mode="after")
    @classmethod
    def _lower_address(cls, value: str | None) -> str | None:
        if value is None:
            return None
        local, at, domain = value.strip().partition("@")
        if not (local and at and "." in domain):
            raise ValueError(f"not an e-mail address: {value!r}")
        return value.strip().lower()

    @model_validator(mode="after")
    def _password_only(self) -> MoreMailbox:
        if self.auth == "oauth2":
            raise ValueError('auth = "oauth2" is supported on [mailbox] only; give this '
                             "mailbox a password (an app password) instead")
        return self


class Smtp(Section):
    url: str
    auth: Auth = "password"  # oauth2: [smtp.oauth2], or else the mailbox's tokens
    username: str | None = None
    password: SecretStr | None = None
    oauth2: OAuth2 | None = None
    from_address: str | None = None  # envelope and From; defaults to organisation.address
    tls_verify: bool = True
    ca_file: Path | None = None
    timeout: Seconds = 30
    max_attempts: Annotated[int, Field(ge=1)] = 12
    retry_min_delay: Seconds = 30
    retry_max_delay: Seconds = 3600

    @field_validator("url")
    @classmethod
    def _scheme(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("smtp", "smtps", "smtp+starttls"):
            raise ValueError("must start with smtp://, smtps:// or smtp+starttls://")
        if not parts.hostname:
            raise ValueError("needs a host, e.g. smtp://mail.example.org:25")
        return value


class Database(Section):
    url: str | None = None  # any SQLAlchemy URL; default: SQLite file in paths.data_dir
    auto_migrate: bool = True
    echo: bool = False


class Security(Section):
    key: SecretStr | None = None  # Fernet keys, comma-separated; the first one encrypts
    key_file: Path | None = None  # a file holding the keys, one a line


class Acknowledge(Section):
    enabled: bool = True
    rate_limit_count: Annotated[int, Field(ge=1)] = 5  # acknowledgements per sender per window
    rate_limit_window: Seconds = 3600


class Verification(Section):
    # Authentication-Results from these authserv-ids (our own receiving servers) are believed.
    trusted_authserv_ids: tuple[str, ...] = ()
    code_ttl_days: Annotated[float, Field(gt=0)] = 7
    max_attempts: Annotated[int, Field(ge=1)] = 5
    # Base URL of mailbot's web server for one-time verification links; none: codes only.
    link_base_url: str | None = None


class Approval(Section):
    # Request kinds whose replies wait for a staff approval. Replies that carry personal data
    # and erasures always wait, whatever this says.
    required: tuple[Literal["access", "correction", "unsubscribe", "erasure",
                            "register_instruction", "other"], ...] = (
        "access", "correction", "erasure", "register_instruction")


SourceRole = Literal["controller", "processor"]


class Transfer(Section):
    """A transfer of a source's data to a country outside the EU/EEA (art. 15(2), 44-49)."""

    country: Text
    recipient: Text = ""
    # The safeguard it rests on: an adequacy decision (art. 45), standard contractual
    # clauses (art. 46(2)(c)), binding corporate rules (art. 47); empty: none known.
    safeguards: Text = ""


class Privacy(Section):
    """What the access reply states beside the sources' own information (art. 15(1)(h))."""

    # Automated decisions, profiling included: which are made, their logic and what they
    # mean for the person; say so in plain words when there are none. Empty: not declared,
    # the reply leaves a gap for staff and ``mailbot check`` reports it.
    profiling: Text = ""


OptOutPurpose = Literal["content_mailings", "event_mailings", "sales_calls", "statistics",
                        "ad_networks"]


class Source(Section):
    """Where personal data lives. ``type``: sql (url + query taking :email), csv (path +
    email_column) or own (mailbot's own records)."""

    name: str
    type: Literal["sql", "csv", "own"]
    role: SourceRole = "controller"
    client: str | None = None  # for role = processor: the client the data belongs to
    url: str | None = None
    query: str | None = None
    # sql: UPDATE ... SET {field} = :value WHERE lower(email) = lower(:email); {field} is only
    # ever one of the columns `query` returns
    update_query: str | None = None
    erase_query: str | None = None  # sql: takes :email
    path: Path | None = None
    email_column: str = "email"
    delimiter: str = ","
    writable: bool = False
    # What an access reply says of this source (art. 15(1)); each a Text (per language).
    purposes: tuple[Text, ...] = ()
    categories: tuple[Text, ...] = ()
    recipients: tuple[Text, ...] = ()
    no_recipients: bool = False  # true: nobody outside the organisation receives the data
    transfers: tuple[Transfer, ...] = ()  # outside the EU/EEA (art. 15(2))
    no_transfers: bool = False  # true: the data does not leave the EU/EEA
    retention: Text = ""
    origin: Text = ""  # where the data came from (art. 15(1)(g))
    labels: dict[str, Text] = {}  # column -> what a reply calls it
    # Contact addresses of recipients (name as in ``recipients`` -> e-mail): they are told of
    # an erasure or correction by mail (art. 19); a recipient without one is a manual step.
    # A recipient given per language is named here by its English text.
    recipient_addresses: dict[str, str] = {}
    # A legal duty to keep the data (art. 17(3)(b)), e.g. "7 years under tax law (art. 52
    # AWR)": an erasure restricts instead of deleting, and the answer gives this reason.
    retention_reason: str = ""
    # sql: marks the person's rows as restricted (takes :email); without it, restricting is
    # a manual step.
    restrict_query: str | None = None
    # Consent kept per purpose in this source, as purpose -> column (content_mailings =
    # "newsletter"): an objection sets that column to ``optout_value`` for the person when
    # the source is writable (sql: through update_query; the column must be one ``query``
    # returns). A purpose no source keeps is honoured through the suppression list.
    optout_columns: dict[OptOutPurpose, str] = {}
    optout_value: str = "0"
    # Finding a person known only by name (a child a parent writes about): sql, a query
    # taking :name (compared as the source compares names); csv, the column holding the
    # full name. The rows found are erased by the e-mail address they hold, after approval.
    name_query: str | None = None
    name_column: str | None = None

    @property
    def recipient_names(self) -> tuple[str, ...]:
        """The recipients by one name each (their English text, or the first given)."""
        return tuple(text_for(r, "en") for r in self.recipients)

    @model_validator(mode="after")
    def _complete(self) -> Source:
        if self.type == "sql" and not (self.url and self.query):
            raise ValueError(f"source {self.name!r}: type sql needs url and query")
        if self.type == "csv" and self.path is None:
            raise ValueError(f"source {self.name!r}: type csv needs path")
        if self.role == "processor" and not self.client:
            raise ValueError(f"source {self.name!r}: role processor needs client")
        if self.recipients and self.no_recipients:
            raise ValueError(f"source {self.name!r}: recipients and no_recipients contradict")
        if self.transfers and self.no_transfers:
            raise ValueError(f"source {self.name!r}: transfers and no_transfers contradict")
        if self.optout_columns and self.role == "processor":
            raise ValueError(f"source {self.name!r}: optout_columns on a processor's source: "
                             "only the client changes its data")
        return self


class Health(Section):
    """When `mailbot health` and /healthz call the daemon unhealthy."""

    # The mailbox was not read for this many poll intervals (mailbox.poll_interval, at most
    # a minute each).
    mailbox_polls: Annotated[float, Field(gt=0)] = 5
    # A mail has waited this long in the outbox (seconds).
    outbox_stuck_after: Seconds = 3600


class Paths(Section):
    data_dir: Path = Path("var")
    templates_dir: Path | None = None  # default: the templates shipped with mailbot


class Console(Section):
    listen: str = "127.0.0.1:8080"
    # Reverse proxies whose X-Forwarded-For names the client (addresses, or "*"); none by
    # default: the login throttle then counts the connecting address, which no header moves.
    trusted_proxies: tuple[str, ...] = ()


class Staff(Section):
    """Who acts on the command line: an operating-system user maps to a staff user (the
    name they sign in to the console with), used when a command is given without --by."""

    os_users: dict[str, str] = {}


class Deadlines(Section):
    """Reminders, escalation and the daily digest for staff; verification expiry."""

    enabled: bool = True
    # The internal target date: this many Dutch working days before the legal due date.
    target_working_days: Annotated[int, Field(ge=0, le=15)] = 5
    # Where reminders and the digest go; none: no staff mail (the other jobs still run).
    staff_address: str | None = None
    # Where overdue requests are escalated; default: staff_address.
    escalation_address: str | None = None
    # Remind staff this many working days before the target and the due date.
    remind_days_before_target: tuple[Annotated[int, Field(ge=0, le=15)], ...] = (2, 0)
    remind_days_before_due: tuple[Annotated[int, Field(ge=0, le=15)], ...] = (3, 1)
    # The daily digest, local time (organisation.timezone); "off": no digest.
    digest_time: time | None = time(8, 0)
    digest_on_non_working_days: bool = False
    # How often (seconds) the jobs look for due reminders, expired verifications and the like.
    scan_interval: Seconds = 900
    # Remind the person this many days before a verification code expires (0: never).
    verification_reminder_days: Annotated[float, Field(ge=0)] = 2
    # Close requests as unverified when their verification code expires unanswered.
    close_unverified: bool = True
    # An erasure of a child's data is due this many days after it came in (art. 17(1)(f):
    # without undue delay), instead of the month.
    child_erasure_days: Annotated[int, Field(ge=1, le=30)] = 7

    @field_validator("digest_time", mode="before")
    @classmethod
    def _off(cls, value: object) -> object:
        return None if isinstance(value, str) and value.strip().lower() in ("", "off") else value

    @field_validator("staff_address", "escalation_address", mode="after")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is None:
            return None
        local, at, domain = value.strip().partition("@")
        if not (local and at and "." in domain):
            raise ValueError(f"not an e-mail address: {value!r}")
        return value.strip().lower()

    @property
    def escalation_to(self) -> str | None:
        return self.escalation_address or self.staff_address


RetentionDays = Annotated[int, Field(ge=1)]


class Retention(Section):
    """How long mail text, raw messages and reply texts are kept once a request is closed."""

    enabled: bool = True
    # Days after a request closed, per kind.
    access: RetentionDays = 365
    correction: RetentionDays = 365
    unsubscribe: RetentionDays = 365
    erasure: RetentionDays = 365
    register_instruction: RetentionDays = 365
    other: RetentionDays = 365
    # Days after arrival for mail that held no request (auto-replies, bounces, list mail,
    # quarantined mail, verification answers) and for staff digests.
    other_mail: RetentionDays = 90
    # Days after a request closed when its mail held special categories of data (art. 9,
    # 10 and ID numbers), if shorter than its kind's period.
    special_categories: RetentionDays = 30
    # Keep the requester's address in the record after the period.
    keep_sender: bool = False
    # How often (seconds) the purge job runs.
    interval: Seconds = 3600

    def days_for(self, kind: str) -> int:
        kinds = ("access", "correction", "unsubscribe", "erasure", "register_instruction")
        days: int = getattr(self, kind) if kind in kinds else self.other
        return days

    def days_for_request(self, kind: str, special: bool) -> int:
        """The period for a request; shorter when its mail held special categories."""
        days = self.days_for(kind)
        return min(days, self.special_categories) if special else days


class Logging(Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["text", "json"] = "text"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MAILBOT_",
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )

    organisation: Organisation
    mailbox: Mailbox
    mailboxes: tuple[MoreMailbox, ...] = ()  # fetched beside [mailbox], spread over workers
    smtp: Smtp
    database: Database = Database()
    security: Security = Security()
    acknowledge: Acknowledge = Acknowledge()
    verification: Verification = Verification()
    approval: Approval = Approval()
    sources: tuple[Source, ...] = ()
    privacy: Privacy = Privacy()
    paths: Paths = Paths()
    console: Console = Console()
    staff: Staff = Staff()
    logging: Logging = Logging()
    deadlines: Deadlines = Deadlines()
    retention: Retention = Retention()
    health: Health = Health()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (env_settings, init_settings)

    @model_validator(mode="after")
    def _smtp_oauth2(self) -> Settings:
        if self.smtp.auth == "oauth2" and self.smtp.oauth2 is None and self.mailbox.oauth2 is None:
            raise ValueError('smtp.auth: "oauth2" needs [smtp.oauth2] or [mailbox.oauth2]')
        return self

    @model_validator(mode="after")
    def _distinct_mailboxes(self) -> Settings:
        names = [m.name for m in self.mailboxes]
        if "mailbox" in names:
            raise ValueError('mailboxes: the name "mailbox" is the [mailbox] section\'s own')
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"mailboxes: the name {twice[0]!r} is given twice")
        urls = [self.mailbox.url, *(m.url for m in self.mailboxes)]
        again = sorted({u for u in urls if urls.count(u) > 1})
        if again:
            raise ValueError(f"mailboxes: {_without_password(again[0])} is configured twice")
        return self

    def all_mailboxes(self) -> list[tuple[str, Mailbox]]:
        """Every mailbox with its name: ``[mailbox]`` as "mailbox", then ``[[mailboxes]]``."""
        return [("mailbox", self.mailbox), *((m.name, m) for m in self.mailboxes)]

    @property
    def own_addresses(self) -> frozenset[str]:
        """Every address mail of ours comes from: the organisation's and the mailboxes'."""
        return self.organisation.own_addresses | {
            m.address for m in self.mailboxes if m.address}

    @property
    def database_url(self) -> str:
        if self.database.url:
            return self.database.url
        return f"sqlite:///{(self.paths.data_dir / 'mailbot.db').resolve()}"

    @property
    def from_address(self) -> str:
        return self.smtp.from_address or self.organisation.address


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


DEMO_CONFIG = Path("var") / "demo" / "mailbot.toml"  # what `make run` writes


def config_path(explicit: str | os.PathLike[str] | None) -> Path | None:
    """``--config``, else env MAILBOT_CONFIG, else the demo's config when it is here."""
    value = explicit or os.environ.get("MAILBOT_CONFIG")
    if value:
        return Path(value)
    return DEMO_CONFIG.resolve() if DEMO_CONFIG.is_file() else None


def load_settings(
    path: str | os.PathLike[str] | None = None, **overrides: Any
) -> Settings:
    """Read the file (if any), apply env and ``overrides``; raise ConfigError naming the key."""
    data: dict[str, Any] = {}
    file = config_path(path)
    if file is not None:
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"config file {file}: not found") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {file}: not valid TOML: {exc}") from exc
    for section, values in overrides.items():
        if isinstance(values, dict):
            data.setdefault(section, {}).update(values)
        else:
            data[section] = values
    try:
        return Settings(**data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, file)) from None


def _describe(exc: ValidationError, file: Path | None) -> str:
    error = exc.errors()[0]
    key = ".".join(str(p) for p in error["loc"])
    env = f"MAILBOT_{key.upper().replace('.', '__')}"
    where = (f" (set it in {file} or env {env})" if file else
             f" (no config file given: pass --config PATH or set env MAILBOT_CONFIG; or set "
             f"env {env}. `make run` writes the demo's as {DEMO_CONFIG})")
    if error["type"] == "missing":
        message = "missing"
    elif error["type"] == "extra_forbidden":
        message = "unknown key"
    else:
        message = error["msg"].removeprefix("Value error, ")
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    if not key:  # a rule across sections: its message names the keys
        return f"config error: {message} (in {file or 'the config file or env'}){more}"
    return f"config error: {key}: {message}{where}{more}"


def url_credentials(url: str) -> tuple[str | None, str | None]:
    """The user name and password in a URL, percent-decoded."""
    parts = urlsplit(url)
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return user, password
