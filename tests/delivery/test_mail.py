"""The email draft: headers, both body parts, attachments, addresses, escaping."""

from __future__ import annotations

import email
import html
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefexport import ALL_FORMATS, backends, output_name
from briefexport import parse
from briefexport.cli import main
from briefexport.delivery.mail import AddressError, build_message, message_bytes, parse_addresses
from briefexport.delivery.mail_body import Attachment
from conftest import ARTICLE

STEM = "belarus-burgeoning-ties-with-russia-and-china"
TITLE = "Belarus’ Burgeoning Ties with Russia and China"


def _email(tmp_path: Path, *extra: str, source: Path = ARTICLE):
    args = ["email", str(source), "-d", str(tmp_path / "build"), *extra]
    return CliRunner().invoke(main, args)


def _read(path: Path) -> EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def _tags(markup: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collect().feed(markup)
    return found


def _parts(msg: EmailMessage) -> tuple[str, str, list[EmailMessage]]:
    alternative = next(p for p in msg.walk() if p.get_content_type() == "multipart/alternative")
    plain = alternative.get_body(preferencelist=("plain",))
    rich = alternative.get_body(preferencelist=("html",))
    assert plain is not None and rich is not None
    return plain.get_content(), rich.get_content(), list(msg.iter_attachments())


def test_draft_parses_back_with_headers_body_and_attachment(tmp_path: Path) -> None:
    result = _email(tmp_path, "-f", "json", "--to", "Ann Reader <ann@example.org>", "--to", "bo@example.net",
                    "--cc", "desk@example.com", "--from", "Press Office <press@example.org>")
    assert result.exit_code == 0, result.output
    eml = tmp_path / "build" / f"{STEM}.eml"
    msg = _read(eml)
    assert msg["Subject"] == TITLE
    assert [a.addr_spec for a in msg["To"].addresses] == ["ann@example.org", "bo@example.net"]
    assert msg["To"].addresses[0].display_name == "Ann Reader"
    assert [a.addr_spec for a in msg["Cc"].addresses] == ["desk@example.com"]
    assert msg["From"].addresses[0].addr_spec == "press@example.org"
    assert msg["X-Unsent"] == "1"
    assert msg["Date"].datetime is not None
    assert msg.get_content_type() == "multipart/mixed"

    text, rich, attachments = _parts(msg)
    doc = parse(ARTICLE)
    for content in (text, html.unescape(rich)):
        assert TITLE in content
        assert "Huynh Tam Sang and Pham Do An" in content
        assert "two-pronged strategy" in content
        for point in doc.meta.key_points:
            assert point.split()[0] in content
        assert f"{STEM}.json" in content
    assert all(" ".join(point.split()) in " ".join(text.split()) for point in doc.meta.key_points)

    [attachment] = attachments
    built = tmp_path / "build" / f"{STEM}.json"
    assert attachment.get_filename() == built.name
    assert attachment.get_content_type() == "application/json"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_payload(decode=True) == built.read_bytes()
    assert f"{eml} (" in result.stdout
    assert (tmp_path / "build" / f"{STEM}.manifest.json").exists()


def test_email_with_default_formats_attaches_pdf_docx_onepager(tmp_path: Path) -> None:
    """Needs the pdf, docx and onepager backends registered (the default formats)."""
    result = _email(tmp_path, "--to", "someone@example.org")
    assert result.exit_code == 0, result.output
    doc = parse(ARTICLE)
    msg = _read(tmp_path / "build" / f"{STEM}.eml")
    _text, _rich, attachments = _parts(msg)
    assert len(attachments) == 3
    expected_types = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "onepager": backends.get("onepager").media_type,
    }
    for fmt, attachment in zip(ALL_FORMATS, attachments, strict=True):
        built = tmp_path / "build" / output_name(doc, fmt)
        assert attachment.get_filename() == built.name
        assert attachment.get_content_type() == expected_types[fmt]
        assert attachment.get_payload(decode=True) == built.read_bytes()


def test_subject_option_and_unsafe_title(tmp_path: Path) -> None:
    source = tmp_path / "src" / "note.md"
    source.parent.mkdir()
    source.write_text(
        '---\ntitle: "Line one\\nBcc: victim@example.org <script>alert(1)</script> & \\"co\\""\n'
        'subtitle: "<img src=\\"http://tracker.example/p.gif\\"> standfirst"\n'
        'key_points:\n  - "<a href=\\"https://evil.example\\">click</a> \\u0007bell"\n---\n\nBody text.\n',
        encoding="utf-8",
    )
    result = _email(tmp_path, "-f", "json", "--to", "a@example.org", source=source)
    assert result.exit_code == 0, result.output
    eml = next((tmp_path / "build").glob("*.eml"))
    msg = _read(eml)
    # A line break in the title cannot smuggle in a header.
    assert msg["Bcc"] is None
    assert msg["Subject"].startswith("Line one Bcc: victim@example.org <script>")
    text, rich, _ = _parts(msg)
    assert "<script" not in rich and "<img" not in rich and "<a " not in rich
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;" in rich
    # No remote resources or links in the HTML part at all: only these tags and attributes.
    tags = _tags(rich)
    assert {tag for tag, _ in tags} <= {"html", "head", "meta", "title", "body", "p", "h2", "strong", "ul", "li", "span"}
    assert {name for _, attrs in tags for name, _ in attrs} <= {"lang", "charset", "style"}
    assert not any("url(" in (value or "") for _, attrs in tags for _, value in attrs)
    assert "\x07" not in text and "\x07" not in rich

    result = _email(tmp_path, "-f", "json", "--to", "a@example.org", "--subject", "For you: the brief",
                    source=source)
    assert _read(eml)["Subject"] == "For you: the brief"


@pytest.mark.parametrize("value", [
    "someone", "a@b@c", "bad <", "a@", "", "foo bar@example.org", "x@localdomain-without-dot",
    "a@example.org\r\nBcc: x@example.org", "jörg@example.org",
])
def test_bad_address_is_a_one_line_error(tmp_path: Path, value: str) -> None:
    result = _email(tmp_path, "-f", "json", "--to", value)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --to ")
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "build").exists()


def test_address_forms() -> None:
    [plain] = parse_addresses("someone@example.org")
    assert plain.addr_spec == "someone@example.org"
    [named] = parse_addresses("Zoë Ünal <zoe@example.org>")
    assert (named.display_name, named.addr_spec) == ("Zoë Ünal", "zoe@example.org")
    [idn] = parse_addresses("info@bücher.example")
    assert idn.domain == "xn--bcher-kva.example"
    assert [a.addr_spec for a in parse_addresses("a@example.org, b@example.org")] == ["a@example.org", "b@example.org"]
    with pytest.raises(AddressError, match="--cc 'nobody' is not a valid email address"):
        parse_addresses("nobody", "--cc")


def test_bad_from_is_an_error(tmp_path: Path) -> None:
    result = _email(tmp_path, "-f", "json", "--to", "a@example.org", "--from", "me")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --from 'me' is not a valid email address")


def test_non_ascii_attachment_name_is_rfc2231_encoded(article, theme) -> None:
    name = "Brief – Belarus é.pdf"
    msg = build_message(article, [Attachment(name, "application/pdf", b"%PDF-1.4 test")], theme,
                        to=parse_addresses("a@example.org"))
    raw = message_bytes(msg)
    assert b"filename*=utf-8''Brief%20%E2%80%93%20Belarus%20%C3%A9.pdf" in raw
    assert raw.isascii()
    back = email.message_from_bytes(raw, policy=policy.default)
    [attachment] = back.iter_attachments()
    assert attachment.get_filename() == name
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_payload(decode=True) == b"%PDF-1.4 test"


def test_message_is_seven_bit_with_crlf(article, theme) -> None:
    msg = build_message(article, [Attachment("x.json", "application/json", b"{}")], theme,
                        to=parse_addresses("a@example.org"))
    raw = message_bytes(msg)
    assert raw.isascii()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998


def test_draft_bytes_repeat_and_follow_source_date_epoch(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    _email(tmp_path, "-f", "json", "--to", "a@example.org", "-o", str(tmp_path / "one.eml"))
    _email(tmp_path, "-f", "json", "--to", "a@example.org", "-o", str(tmp_path / "two.eml"))
    assert (tmp_path / "one.eml").read_bytes() == (tmp_path / "two.eml").read_bytes()
    assert _read(tmp_path / "one.eml")["Date"].datetime.timestamp() == 1700000000
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    _email(tmp_path, "-f", "json", "--to", "a@example.org", "-o", str(tmp_path / "three.eml"))
    assert _read(tmp_path / "three.eml")["Date"].datetime.timestamp() == 1800000000


def test_over_budget_email_with_strict_writes_no_draft(tmp_path: Path) -> None:
    result = _email(tmp_path, "-f", "json", "--to", "a@example.org", "--max-attachment-size", "1kB", "--strict")
    assert result.exit_code == 1
    assert "attachment budget" in result.stderr
    assert not (tmp_path / "build").exists()
