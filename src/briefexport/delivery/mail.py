"""The email bundle: an RFC 5322 draft with the outputs attached, and SMTP sending.

Standard library only (`email`, `smtplib`, `ssl`).  The draft carries
`X-Unsent: 1`, which makes Outlook open it as an editable message;
Thunderbird and Apple Mail open it and offer "Edit as New".  Its bytes are
reproducible: the Date comes from `common.stamps.timestamp`, the MIME boundaries from
a hash of the content, so the same source gives the same .eml.  A message
that is sent gets the real date and a fresh Message-ID instead.
"""

from __future__ import annotations

import hashlib
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email import policy as email_policy
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from email.utils import format_datetime, formatdate, make_msgid
from typing import TYPE_CHECKING, Literal

from ..errors import BriefExportError
from . import headers
from .mail_body import Attachment, html_body, text_body
from ..common.stamps import timestamp

if TYPE_CHECKING:
    from ..theme import Theme
    from ..tree import Document

PASSWORD_ENV = "BRIEFEXPORT_SMTP_PASSWORD"
DEFAULT_PORTS = {"plain": 25, "starttls": 587, "ssl": 465}
# Bounds every network wait, so an unreachable server fails instead of hanging.
SMTP_TIMEOUT = 30.0

Security = Literal["plain", "starttls", "ssl"]


class AddressError(BriefExportError):
    """An email address given on the command line is not one."""


class SendError(BriefExportError):
    """Connecting, authenticating or sending over SMTP failed."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int | None = None
    security: Security = "plain"
    user: str = ""
    password: str = ""
    timeout: float = SMTP_TIMEOUT

    @property
    def effective_port(self) -> int:
        return self.port if self.port is not None else DEFAULT_PORTS[self.security]


def parse_addresses(text: str, option: str = "address") -> tuple[Address, ...]:
    """`text` as one or more addresses ("a@example.org", "Ann <a@example.org>", comma-separated).

    Raises `AddressError` with one line naming the option and the value.
    Non-ASCII domains are IDNA-encoded; non-ASCII local parts would need
    SMTPUTF8, which not every server speaks, so they are refused.
    """
    def bad(reason: str) -> AddressError:
        return AddressError(f"{option} {text!r} is not a valid email address: {reason}")

    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise bad("it contains control characters")
    try:
        header = HeaderRegistry()("to", text)
        found = header.addresses
    except Exception:  # the header parser raises IndexError and others on some junk
        raise bad("it cannot be parsed") from None
    if header.defects:
        raise bad(str(header.defects[0]).rstrip(".") or "it cannot be parsed")
    if not found:
        raise bad("it is empty")
    out = []
    for address in found:
        if not address.username or not address.domain:
            raise bad("it needs a user and a domain, like name@example.org")
        if not address.username.isascii():
            raise bad("a non-ASCII user part is not supported")
        domain = address.domain
        if not domain.isascii():
            try:
                domain = domain.encode("idna").decode("ascii")
            except UnicodeError:
                raise bad("its domain cannot be encoded") from None
        if "." not in domain.strip(".") and domain != "localhost":
            raise bad("its domain has no dot")
        out.append(Address(address.display_name, address.username, domain))
    return tuple(out)


class Draft(EmailMessage):
    """A message we built, with what it must read back as (see `headers.verify`)."""

    intent: "Intent"


@dataclass(frozen=True)
class Intent:
    headers: tuple[str, ...]
    subject: str
    recipients: tuple[tuple[str, tuple[str, ...]], ...]  # ("to", (addr-spec, ...)), ...

    def check(self, data: bytes) -> None:
        headers.verify(data, headers=self.headers, subject=self.subject, recipients=dict(self.recipients))

    @property
    def envelope(self) -> list[str]:
        return [a for field, specs in self.recipients if field in ("to", "cc") for a in specs]


# The policy the .eml is written with: our own folded values (set raw) are
# written as they are, never re-parsed and re-folded by the standard library.
_WRITE_POLICY = email_policy.SMTP.clone(refold_source="none")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def build_message(
    doc: "Document", attachments: list[Attachment], theme: "Theme", *,
    to: tuple[Address, ...], cc: tuple[Address, ...] = (), sender: Address | None = None,
    subject: str | None = None,
) -> Draft:
    """The draft: summary as plain text and HTML, then the attachments.

    `subject` comes from the command line: a line break in it is refused.
    The title is document text: its line breaks become spaces.
    """
    text = (headers.refuse_breaks(subject, "--subject") if subject is not None
            else headers.clean_text(doc.meta.title or _fallback_subject(doc)))
    msg = Draft(policy=email_policy.SMTP)
    names: list[str] = []
    recipients: list[tuple[str, tuple[str, ...]]] = []
    for field, found in (("From", (sender,) if sender is not None else ()), ("To", to), ("Cc", cc)):
        if found:
            msg.set_raw(field, headers.address_list(field, found))
            names.append(field)
            recipients.append((field.lower(), tuple(a.addr_spec for a in found)))
    msg.set_raw("Subject", headers.unstructured("Subject", text))
    msg["Date"] = format_datetime(timestamp(doc.meta))
    msg["X-Unsent"] = "1"
    # The body summarises: no citation marker or note shows in it, formatted or raw.
    from ..transforms.prepare import prepare
    from ..transforms.strip import strip_citations

    doc = strip_citations(prepare(doc, theme))
    # Quoted-printable keeps the parts 7-bit, for servers without 8BITMIME.
    msg.set_content(text_body(doc, attachments, theme), cte="quoted-printable")
    msg.add_alternative(html_body(doc, attachments, theme), subtype="html", cte="quoted-printable")
    for item in attachments:
        maintype, _, subtype = item.media_type.partition("/")
        if not subtype:
            maintype, subtype = "application", "octet-stream"
        msg.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=item.filename)
    names += ["Subject", "Date", "X-Unsent", "MIME-Version", "Content-Type"]
    # After the content: set_content() drops every Content-* header set before it.
    if _LANG.match(doc.meta.lang or ""):
        msg["Content-Language"] = doc.meta.lang
        names.append("Content-Language")
    _fix_boundaries(msg)
    msg.intent = Intent(tuple(names), text, tuple(recipients))
    return msg


def message_bytes(msg: Draft) -> bytes:
    """The message as written to the .eml file (CRLF line ends), checked against what was meant."""
    data = msg.as_bytes(policy=_WRITE_POLICY)
    msg.intent.check(data)
    return data


def prepare_for_sending(msg: Draft, sender: Address) -> Draft:
    """A copy to send: the real date, a fresh Message-ID, no draft marker."""
    from email import message_from_bytes

    out = message_from_bytes(message_bytes(msg), _class=Draft, policy=email_policy.SMTP)
    assert isinstance(out, Draft)
    del out["X-Unsent"]
    del out["Date"]
    del out["Message-ID"]
    out["Date"] = formatdate(localtime=True)
    out["Message-ID"] = make_msgid(domain=sender.domain)
    names = tuple(n for n in msg.intent.headers if n != "X-Unsent") + ("Message-ID",)
    out.intent = Intent(names, msg.intent.subject, msg.intent.recipients)
    return out


def send(msg: Draft, settings: SmtpSettings) -> dict[str, tuple[int, bytes]]:
    """Send `msg` over SMTP; returns the recipients the server refused (others got it).

    The bytes sent are checked like the draft's, and the envelope names the
    recipients we meant, never ones read from the headers.  Every failure is
    a `SendError` with one line: where, and what went wrong.
    """
    data = message_bytes(msg)
    sender = msg.intent.recipients[0][1][0] if msg.intent.recipients[0][0] == "from" else ""
    where = f"{settings.host}:{settings.effective_port}"
    if settings.user and settings.security == "plain":
        raise SendError(f"refusing to send the password for {settings.user!r} unencrypted to {where}; "
                        "use --starttls or --ssl")
    try:
        with _connect(settings) as smtp:
            if settings.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if settings.user:
                smtp.login(settings.user, settings.password)
            return smtp.sendmail(sender, msg.intent.envelope, data)
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(f"SMTP server {where} refused the login for {settings.user!r}: {_reply(exc)}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        refused = ", ".join(sorted(exc.recipients))
        raise SendError(f"SMTP server {where} refused every recipient ({refused})") from None
    except smtplib.SMTPSenderRefused as exc:
        raise SendError(f"SMTP server {where} refused the sender {exc.sender!r}: {_reply(exc)}") from None
    except smtplib.SMTPNotSupportedError as exc:
        raise SendError(f"SMTP server {where}: {_one_line(str(exc)).rstrip('.') or 'command not supported'}") from None
    except smtplib.SMTPResponseException as exc:
        raise SendError(f"SMTP server {where} answered {_reply(exc)}") from None
    except ssl.SSLError as exc:
        reason = getattr(exc, "verify_message", None) or exc.reason or str(exc)
        raise SendError(f"TLS with SMTP server {where} failed: {_one_line(reason)}") from None
    except smtplib.SMTPServerDisconnected as exc:
        raise SendError(f"SMTP server {where} closed the connection: {_one_line(str(exc))}") from None
    except smtplib.SMTPException as exc:
        raise SendError(f"sending through {where} failed: {_one_line(str(exc))}") from None
    except (socket.timeout, TimeoutError):
        raise SendError(f"cannot connect to SMTP server {where}: timed out after {settings.timeout:g} s") from None
    except OSError as exc:
        raise SendError(f"cannot connect to SMTP server {where}: {_one_line(exc.strerror or str(exc))}") from None


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    port = settings.effective_port
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(settings.host, port, timeout=settings.timeout,
                                context=ssl.create_default_context())
    return smtplib.SMTP(settings.host, port, timeout=settings.timeout)


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {_one_line(text)}".strip()


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _fallback_subject(doc: "Document") -> str:
    from pathlib import Path

    return Path(doc.source).stem if doc.source else "Brief"


def _fix_boundaries(msg: EmailMessage) -> None:
    """Boundaries from a hash of the content instead of random ones, for reproducible bytes.

    "=_" cannot occur in quoted-printable or base64 text, so with the content
    hash the boundary cannot collide with a part.
    """
    digest = hashlib.sha256()
    for part in msg.walk():
        if not part.is_multipart():
            payload = part.get_payload(decode=True)
            digest.update(payload if isinstance(payload, bytes) else b"")
    token = digest.hexdigest()[:24]
    for number, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"=_briefexport_{token}_{number}")
