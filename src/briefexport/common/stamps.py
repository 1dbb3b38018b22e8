"""Reproducible stamps: the date written into outputs, and zips with fixed dates.

Same input, same bytes: every backend that writes a date or a zip asks here.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import BriefExportError
from ..tree import Meta

# Used when neither SOURCE_DATE_EPOCH nor the front matter's `date` gives one,
# so that two renders of an undated source are still byte-identical.
FIXED_DATE = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)


def timestamp(meta: Meta) -> _dt.datetime:
    """The date stamped into outputs: SOURCE_DATE_EPOCH, else `date`, else a fixed one."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise BriefExportError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix time in seconds") from None
    if meta.date:
        try:
            parsed = _dt.datetime.fromisoformat(meta.date)
        except ValueError:
            return FIXED_DATE
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=_dt.timezone.utc)
    return FIXED_DATE


# OOXML readers look for these first; the other entries follow in name order.
_ZIP_FIRST = ("[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
              "word/document.xml", "ppt/presentation.xml")
_ZIP_EPOCH = _dt.datetime(1980, 1, 1, tzinfo=_dt.timezone.utc)


@dataclass(frozen=True)
class Deflated:
    """A zip entry compressed once (an embedded font), to be copied, not compressed again."""

    crc: int
    size: int
    data: bytes  # the raw deflate stream, as a zip entry holds it

    @classmethod
    def of(cls, payload: bytes) -> Deflated:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        return cls(zlib.crc32(payload), len(payload), packer.compress(payload) + packer.flush())


def _write_deflated(target: zipfile.ZipFile, info: zipfile.ZipInfo, entry: Deflated) -> None:
    # zipfile has no call that writes an entry already compressed; this is
    # what `ZipFile.writestr` does, without the compressor.
    info.compress_type = zipfile.ZIP_DEFLATED
    info.CRC, info.file_size, info.compress_size = entry.crc, entry.size, len(entry.data)
    target._writecheck(info)  # type: ignore[attr-defined]
    target._didModify = True  # type: ignore[attr-defined]
    assert target.fp is not None
    info.header_offset = target.fp.tell()
    target.fp.write(info.FileHeader(False))
    target.fp.write(entry.data)
    target.filelist.append(info)
    target.NameToInfo[info.filename] = info
    target.start_dir = target.fp.tell()  # type: ignore[attr-defined]


class ZipEntries(dict):  # type: ignore[type-arg]
    """Member name -> bytes, filled the way python-docx and python-pptx fill a zip.

    Their package writers call `write(pack_uri, blob)` on a zip writer; given
    this instead, they hand over the parts without compressing anything, and
    `zip_entries` makes the one reproducible zip (not a zip, read back and
    written again).
    """

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self[pack_uri.membername] = blob


def zip_entries(entries: Mapping[str, bytes], when: _dt.datetime,
                precompressed: Mapping[str, Deflated] | None = None) -> bytes:
    """A zip of `entries`, every entry dated `when`, in the fixed order OOXML readers like.

    An entry named in `precompressed` takes those bytes instead of its own.
    """
    precompressed = precompressed or {}
    stamp = max(when.astimezone(_dt.timezone.utc), _ZIP_EPOCH)
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second // 2 * 2)
    if stamp.year > 2107:  # the zip format's last representable year
        date_time = (2107, 12, 31, 23, 59, 58)
    order = sorted(entries, key=lambda n: (_ZIP_FIRST.index(n) if n in _ZIP_FIRST else len(_ZIP_FIRST), n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            if name in precompressed:
                _write_deflated(target, info, precompressed[name])
            else:
                target.writestr(info, entries[name], compresslevel=9)
    return out.getvalue()
