"""Mail header values we fold ourselves, and the check of the finished message.

The standard library's header parser reads an RFC 2047 encoded word in a value
we set (`=?utf-8?q?Hi=0D=0ABcc:_x@example.org?=` in a title) as already
encoded text and decodes it; Python 3.11 before its security fix then folds
the decoded CR LF out as a real header line, a hidden `Bcc:`.  So the values
built from the document or the command line never pass through that parser:
`unstructured` and `address_list` fold them here (every line at most 78
characters, non-ASCII or encoded-word-looking text as base64 encoded words
whose payload is the literal text), and `verify` parses the finished bytes
back and refuses a message whose header names, subject or recipients are not
exactly the ones meant, whatever Python version runs.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Sequence
from email import message_from_bytes
from email import policy as email_policy
from email.headerregistry import Address

from ..errors import BriefExportError

LINE_MAX = 78  # RFC 5322's "should"; its hard limit is 998
HARD_LINE_MAX = 998
# An encoded word is at most 75 characters: `=?utf-8?b?` + base64 + `?=`.
_EW_PREFIX, _EW_SUFFIX = "=?utf-8?b?", "?="
_EW_RAW_BYTES = 39  # 52 base64 characters: 64 with the delimiters, 73 after `Subject: `
_ATOM = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~. -]+$")
MIME_HEADERS = ("content-type", "content-transfer-encoding", "content-disposition", "mime-version")


class HeaderError(BriefExportError):
    """A header value that cannot be sent as given, or a message that is not what we built."""


def clean_text(text: str) -> str:
    """Header text from document text: control characters and line breaks become spaces."""
    cleaned = "".join(c if c.isprintable() or c == " " else " " for c in text)
    return " ".join(cleaned.encode("utf-8", "replace").decode("utf-8").split())


def refuse_breaks(text: str, what: str) -> str:
    """`text` from the command line: a CR, LF or other control character is refused, not cleaned."""
    bad = next((c for c in text if ord(c) < 32 or ord(c) == 127 or c in "\u2028\u2029\x85"), None)
    if bad is not None:
        raise HeaderError(f"{what} contains a line break or control character (U+{ord(bad):04X}); "
                          "a mail header is one line")
    return clean_text(text)


def needs_encoding(text: str) -> bool:
    """True when `text` cannot stand in a header as plain ASCII words."""
    return (not text.isascii() or "=?" in text or "?=" in text
            or any(not c.isprintable() for c in text) or any(len(w) > 60 for w in text.split(" ")))


def encoded_words(text: str) -> list[str]:
    """`text` as base64 encoded words, cut between characters; decoders join them without spaces."""
    words, chunk, size = [], [], 0
    for char in text:
        n = len(char.encode("utf-8", "surrogatepass"))
        if chunk and size + n > _EW_RAW_BYTES:
            words.append(_ew("".join(chunk)))
            chunk, size = [], 0
        chunk.append(char)
        size += n
    if chunk:
        words.append(_ew("".join(chunk)))
    return words


def _ew(text: str) -> str:
    return _EW_PREFIX + base64.b64encode(text.encode("utf-8", "replace")).decode("ascii") + _EW_SUFFIX


def _fold(name: str, pieces: Sequence[str]) -> str:
    """`pieces` joined by single spaces, lines broken before a joining space.

    Unfolding (dropping each CR LF) gives the joined text back; between
    encoded words the space is not part of the text at all.
    """
    lines: list[str] = []
    current = ""
    for piece in pieces:
        limit = LINE_MAX - len(name) - 2 if not lines else LINE_MAX
        if current and len(current) + 1 + len(piece) > limit:
            lines.append(current)
            current = " " + piece
        else:
            current = f"{current} {piece}" if current else piece
    lines.append(current)
    return "\r\n".join(lines)


def unstructured(name: str, text: str) -> str:
    """A folded value for an unstructured header (Subject) that decodes to `text` exactly."""
    if not text:
        return ""
    if needs_encoding(text):
        return _fold(name, encoded_words(text))
    return _fold(name, text.split(" "))


def _display_name(name: str) -> list[str]:
    if not name:
        return []
    if needs_encoding(name):
        # One encoded word for a short name; a longer one is cut between
        # characters, and RFC 2047 decoders join adjacent encoded words.
        return encoded_words(name)
    if _ATOM.match(name) and not name.startswith(".") and ".." not in name:
        return name.split(" ")
    quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return [quoted] if len(quoted) <= 60 else encoded_words(name)


def address_list(name: str, addresses: Iterable[Address]) -> str:
    """A folded To/Cc/From value; a long or non-ASCII display name becomes encoded words."""
    pieces: list[str] = []
    for address in addresses:
        if pieces:
            pieces[-1] += ","
        words = _display_name(clean_text(address.display_name))
        pieces.extend(words)
        pieces.append(f"<{address.addr_spec}>" if words else address.addr_spec)
    return _fold(name, pieces)


def verify(data: bytes, *, headers: Sequence[str], subject: str, recipients: dict[str, Sequence[str]]) -> None:
    """Parse the finished message back; refuse it unless it is exactly what we built.

    `headers` are the top-level header names meant (each once), `subject` the
    decoded Subject, `recipients` the addr-specs meant per address header
    ("to", "cc", "from").  Every line must be within 998 characters, and every
    MIME part may carry MIME headers only.
    """
    def refuse(why: str) -> HeaderError:
        return HeaderError(f"refusing to write or send the message: {why}")

    for line in data.split(b"\r\n"):
        if len(line) > HARD_LINE_MAX:
            raise refuse(f"a line of {len(line)} characters, over RFC 5322's limit of {HARD_LINE_MAX}")
    msg = message_from_bytes(data, policy=email_policy.default)
    names = sorted(k.lower() for k in msg.keys())
    if names != sorted(h.lower() for h in headers):
        unexpected = sorted(set(names) - {h.lower() for h in headers}) or names
        raise refuse(f"its headers are {', '.join(names)}, not the ones built (unexpected: {', '.join(unexpected)})")
    if subject and str(msg["Subject"]) != subject:
        raise refuse(f"its Subject reads back as {str(msg['Subject'])!r}, not {subject!r}")
    for field, meant in recipients.items():
        header = msg[field]
        found = [a.addr_spec for a in header.addresses] if header is not None else []
        if found != list(meant):
            raise refuse(f"its {field.title()} reads back as {found}, not {list(meant)}")
    for part in msg.walk():
        if part is msg:
            continue
        extra = [k for k in part.keys() if k.lower() not in MIME_HEADERS]
        if extra:
            raise refuse(f"a MIME part carries the header(s) {', '.join(extra)}")
