"""Header injection, folding and the read-back check of every message we write or send."""

from __future__ import annotations

import email
import json
from email import policy
from email.header import decode_header, make_header
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefexport.cli import main
from briefexport.delivery import headers
from briefexport.delivery.headers import HeaderError, verify

INJECTED = "=?utf-8?q?Quarterly_brief=0D=0ABcc:_someone@example.org?="
LONG_TITLE = ("Die Beziehungen zwischen Belarus, Russland und China: Überblick über Abhängigkeiten, "
              "Handel und die Folgen für die Europäische Union — Ελλάδα, Україна, 中国 ") * 3


def _source(tmp_path: Path, title: str, lang: str = "de") -> Path:
    path = tmp_path / "brief.md"
    # A JSON string is a YAML double-quoted scalar.
    path.write_text(f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nlang: {lang}\n---\n\nBody text.\n",
                    encoding="utf-8")
    return path


def _email(tmp_path: Path, source: Path, *extra: str):
    return CliRunner().invoke(main, ["email", str(source), "-f", "json", "-d", str(tmp_path / "out"),
                                     "-o", str(tmp_path / "out" / "m.eml"), "--to", "ann@example.org", *extra])


def _read(tmp_path: Path) -> tuple[bytes, EmailMessage]:
    data = (tmp_path / "out" / "m.eml").read_bytes()
    msg = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return data, msg


@pytest.mark.parametrize("where", ["title", "--subject"])
def test_encoded_crlf_in_subject_adds_no_header(tmp_path: Path, where: str) -> None:
    source = _source(tmp_path, INJECTED if where == "title" else "Plain")
    extra = ["--subject", INJECTED] if where == "--subject" else []
    result = _email(tmp_path, source, *extra)
    assert result.exit_code == 0, result.output
    data, msg = _read(tmp_path)
    assert "Bcc" not in msg and b"\r\nBcc:" not in data
    assert sorted(msg.keys()) == sorted(["To", "Subject", "Date", "X-Unsent", "MIME-Version", "Content-Type",
                                         "Content-Language"])
    # The encoded-word syntax is shown literally, not decoded into a line break.
    assert str(msg["Subject"]) == INJECTED


def test_the_stdlib_path_would_inject_and_verify_refuses_it() -> None:
    """What the check guards against: a message whose headers are not the ones meant."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["To"] = "ann@example.org"
    msg["Subject"] = "Hello"
    msg["Bcc"] = "someone@example.org"  # stands for any header that appears unasked
    msg.set_content("x")
    with pytest.raises(HeaderError, match="unexpected: bcc"):
        verify(msg.as_bytes(), headers=("To", "Subject", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"),
               subject="Hello", recipients={"to": ["ann@example.org"]})


def test_verify_refuses_other_recipients_subject_and_long_lines() -> None:
    msg = EmailMessage(policy=policy.SMTP)
    msg["To"] = "eve@example.org"
    msg["Subject"] = "Hello"
    msg.set_content("x")
    names = ("To", "Subject", "MIME-Version", "Content-Type", "Content-Transfer-Encoding")
    with pytest.raises(HeaderError, match="To reads back as"):
        verify(msg.as_bytes(), headers=names, subject="Hello", recipients={"to": ["ann@example.org"]})
    with pytest.raises(HeaderError, match="Subject reads back"):
        verify(msg.as_bytes(), headers=names, subject="Other", recipients={"to": ["eve@example.org"]})
    long = b"To: eve@example.org\r\nSubject: " + b"x" * 1200 + b"\r\n\r\nbody\r\n"
    with pytest.raises(HeaderError, match="998"):
        verify(long, headers=("To", "Subject"), subject="x" * 1200, recipients={"to": ["eve@example.org"]})


@pytest.mark.parametrize("value", ["Hi\r\nBcc: x@example.org", "Hi\nthere", "a\x00b"])
def test_line_breaks_in_subject_option_are_refused(tmp_path: Path, value: str) -> None:
    result = _email(tmp_path, _source(tmp_path, "T"), "--subject", value)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --subject contains a line break") and result.stderr.count("\n") == 1
    assert not (tmp_path / "out" / "m.eml").exists()


@pytest.mark.parametrize("value", ["ann@example.org\r\nBcc: x@example.org", "Ann\n <ann@example.org>"])
def test_line_breaks_in_addresses_are_refused(tmp_path: Path, value: str) -> None:
    result = CliRunner().invoke(main, ["email", str(_source(tmp_path, "T")), "-f", "json",
                                       "-d", str(tmp_path / "out"), "--to", value])
    assert result.exit_code == 1 and "control characters" in result.stderr
    assert not list((tmp_path / "out").glob("*.eml")) if (tmp_path / "out").exists() else True


def test_long_non_ascii_title_folds_and_decodes_exactly(tmp_path: Path) -> None:
    result = _email(tmp_path, _source(tmp_path, LONG_TITLE.strip()))
    assert result.exit_code == 0, result.output
    data, msg = _read(tmp_path)
    assert str(msg["Subject"]) == " ".join(LONG_TITLE.split())
    head = data.split(b"\r\n\r\n")[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 78
    assert b"=?utf-8?q??=" not in head  # the empty encoded word Python 3.11 folds in


def test_content_language_is_kept(tmp_path: Path) -> None:
    result = _email(tmp_path, _source(tmp_path, "Titel", lang="de-AT"))
    assert result.exit_code == 0, result.output
    _, msg = _read(tmp_path)
    assert msg["Content-Language"] == "de-AT"


def test_a_5000_character_display_name_folds_within_the_line_limit(tmp_path: Path) -> None:
    name = "Ann " + "Verylongname" * 416
    result = _email(tmp_path, _source(tmp_path, "T"), "--cc", f"{name} <desk@example.org>")
    assert result.exit_code == 0, result.output
    data, msg = _read(tmp_path)
    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    assert max(len(line) for line in data.split(b"\r\n\r\n")[0].split(b"\r\n")) <= 78
    [cc] = msg["Cc"].addresses
    assert cc.addr_spec == "desk@example.org"
    # Decoded as RFC 2047 says (the space between adjacent encoded words is no
    # text); Python's address parser keeps it, so the name is read with
    # decode_header, as mail clients do.
    raw = email.message_from_bytes(data, policy=policy.compat32)["Cc"]
    assert str(make_header(decode_header(" ".join(raw.split())))) == f"{name} <desk@example.org>"


@pytest.mark.parametrize("name", ["Ann Reader", "O'Brien, Pat", 'Say "hi"', "Zoë Ünal", "=?utf-8?q?x?=", ""])
def test_display_names_round_trip(name: str) -> None:
    value = headers.address_list("To", [Address(name, "ann", "example.org"), Address("", "bo", "example.net")])
    msg = email.message_from_bytes(f"To: {value}\r\n\r\n".encode("ascii"), policy=policy.default)
    first, second = msg["To"].addresses
    assert (first.display_name, first.addr_spec) == (name, "ann@example.org")
    assert second.addr_spec == "bo@example.net"


@pytest.mark.parametrize("text", ["a b  c", "x" * 200, "naïve " * 40, "=? ?=", "tab\tin"])
def test_unstructured_round_trips(text: str) -> None:
    clean = headers.clean_text(text)
    value = headers.unstructured("Subject", clean)
    assert all(len(line) <= 78 for line in f"Subject: {value}".split("\r\n"))
    msg = email.message_from_bytes(f"Subject: {value}\r\n\r\n".encode("ascii"), policy=policy.default)
    assert str(msg["Subject"]) == clean
