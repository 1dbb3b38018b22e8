"""Sending over SMTP, against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import email
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword
from click.testing import CliRunner

from briefexport.cli import main
from conftest import ARTICLE

STEM = "belarus-burgeoning-ties-with-russia-and-china"
USER, PASSWORD = "press", "s3cret pass"


class Inbox:
    """The aiosmtpd handler: keeps what it receives."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server, session, envelope: Envelope) -> str:  # noqa: ANN001
        self.envelopes.append(envelope)
        return "250 OK"


def _authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:  # noqa: ANN001
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() \
        and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made here."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


def _start(inbox: Inbox, **kwargs) -> Iterator[Controller]:  # noqa: ANN003
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), ready_timeout=10, **kwargs)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture()
def plain_server() -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    for controller in _start(inbox):
        yield controller, inbox


@pytest.fixture()
def starttls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    for controller in _start(inbox, tls_context=_server_context(certificate), require_starttls=True,
                             authenticator=_authenticate, auth_require_tls=True):
        yield controller, inbox


@pytest.fixture()
def ssl_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    # aiosmtpd counts only STARTTLS as TLS for `auth_require_tls`; here the
    # whole connection is TLS from the first byte.
    for controller in _start(inbox, ssl_context=_server_context(certificate), authenticator=_authenticate,
                             auth_require_tls=False):
        yield controller, inbox


def _send(tmp_path: Path, port: int, *extra: str, env: dict[str, str] | None = None):
    args = ["email", str(ARTICLE), "-f", "json", "-d", str(tmp_path / "build"),
            "--to", "Ann <ann@example.org>", "--cc", "desk@example.net", "--from", "press@example.org",
            "--send", "--smtp-host", "127.0.0.1", "--smtp-port", str(port), *extra]
    return CliRunner().invoke(main, args, env={"BRIEFEXPORT_SMTP_PASSWORD": None, **(env or {})})


def _received(inbox: Inbox) -> email.message.EmailMessage:
    [envelope] = inbox.envelopes
    assert envelope.mail_from == "press@example.org"
    assert sorted(envelope.rcpt_tos) == ["ann@example.org", "desk@example.net"]
    return email.message_from_bytes(envelope.original_content, policy=policy.default)


def _check_same_message(received: email.message.EmailMessage, tmp_path: Path) -> None:
    draft = email.message_from_bytes((tmp_path / "build" / f"{STEM}.eml").read_bytes(), policy=policy.default)
    assert received["Subject"] == draft["Subject"]
    assert received["X-Unsent"] is None and draft["X-Unsent"] == "1"
    assert received["Message-ID"].endswith("@example.org>")
    assert received.get_body(("plain",)).get_content() == draft.get_body(("plain",)).get_content()
    assert received.get_body(("html",)).get_content() == draft.get_body(("html",)).get_content()
    [attachment] = received.iter_attachments()
    assert attachment.get_payload(decode=True) == (tmp_path / "build" / f"{STEM}.json").read_bytes()


def test_send_plain(tmp_path: Path, plain_server) -> None:
    controller, inbox = plain_server
    result = _send(tmp_path, controller.port)
    assert result.exit_code == 0, result.output
    _check_same_message(_received(inbox), tmp_path)
    assert f"sent to ann@example.org, desk@example.net through 127.0.0.1:{controller.port}" in result.stdout


def test_send_with_auth_over_starttls(tmp_path: Path, starttls_server, certificate, monkeypatch) -> None:
    controller, inbox = starttls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # trust the test's own certificate
    result = _send(tmp_path, controller.port, "--starttls", "--smtp-user", USER,
                   env={"BRIEFEXPORT_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    _check_same_message(_received(inbox), tmp_path)


def test_send_with_auth_over_ssl(tmp_path: Path, ssl_server, certificate, monkeypatch) -> None:
    controller, inbox = ssl_server
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    result = _send(tmp_path, controller.port, "--ssl", "--smtp-user", USER,
                   env={"BRIEFEXPORT_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    _check_same_message(_received(inbox), tmp_path)


def _one_error_line(result) -> str:  # noqa: ANN001
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def test_wrong_password_is_one_line_and_keeps_the_draft(tmp_path: Path, starttls_server, certificate,
                                                        monkeypatch) -> None:
    controller, inbox = starttls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    result = _send(tmp_path, controller.port, "--starttls", "--smtp-user", USER,
                   env={"BRIEFEXPORT_SMTP_PASSWORD": "wrong"})
    line = _one_error_line(result)
    assert "refused the login for 'press'" in line
    assert "wrong" not in line
    assert inbox.envelopes == []
    assert (tmp_path / "build" / f"{STEM}.eml").is_file()


def test_untrusted_certificate_is_one_line(tmp_path: Path, starttls_server) -> None:
    controller, inbox = starttls_server
    result = _send(tmp_path, controller.port, "--starttls", "--smtp-user", USER,
                   env={"BRIEFEXPORT_SMTP_PASSWORD": PASSWORD})
    assert "TLS with SMTP server" in _one_error_line(result)
    assert inbox.envelopes == []
    assert (tmp_path / "build" / f"{STEM}.eml").is_file()


def test_refused_connection_is_one_line_and_keeps_the_draft(tmp_path: Path) -> None:
    port = _free_port()  # nothing listens there
    result = _send(tmp_path, port)
    line = _one_error_line(result)
    assert f"cannot connect to SMTP server 127.0.0.1:{port}" in line
    draft = tmp_path / "build" / f"{STEM}.eml"
    assert draft.is_file()
    assert email.message_from_bytes(draft.read_bytes(), policy=policy.default)["To"].addresses[0].username == "ann"


def test_password_comes_only_from_the_environment(tmp_path: Path) -> None:
    result = _send(tmp_path, 2525, "--starttls", "--smtp-user", USER)
    assert result.exit_code == 2
    assert "BRIEFEXPORT_SMTP_PASSWORD" in result.stderr
    result = _send(tmp_path, 2525, "--starttls", "--smtp-user", USER, "--smtp-password", "x")
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_login_without_tls_is_refused(tmp_path: Path, plain_server) -> None:
    controller, inbox = plain_server
    result = _send(tmp_path, controller.port, "--smtp-user", USER, env={"BRIEFEXPORT_SMTP_PASSWORD": PASSWORD})
    assert "unencrypted" in _one_error_line(result)
    assert inbox.envelopes == []


@pytest.mark.parametrize(("args", "message"), [
    (["--starttls", "--ssl"], "exclude each other"),
    (["--smtp-port", "25"], "--smtp-port is only used with --send"),
])
def test_smtp_option_mistakes_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    base = ["email", str(ARTICLE), "-f", "json", "-d", str(tmp_path / "build"), "--to", "a@example.org"]
    result = CliRunner().invoke(main, base + args)
    assert result.exit_code == 2
    assert message in result.stderr
    result = CliRunner().invoke(main, base + ["--send", "--smtp-host", "127.0.0.1"])
    assert result.exit_code == 2 and "--send needs --from" in result.stderr


def test_an_encoded_line_break_in_the_subject_adds_no_recipient(tmp_path: Path, plain_server) -> None:
    controller, inbox = plain_server
    result = _send(tmp_path, controller.port, "--subject", "=?utf-8?q?Brief=0D=0ABcc:_eve@example.org?=")
    assert result.exit_code == 0, result.output
    received = _received(inbox)  # the envelope: exactly ann@ and desk@
    assert received["Bcc"] is None
    assert str(received["Subject"]) == "=?utf-8?q?Brief=0D=0ABcc:_eve@example.org?="
