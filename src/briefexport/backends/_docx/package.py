"""The saved .docx rewritten as a reproducible zip: fixed entry dates and order."""

from __future__ import annotations

import datetime as _dt
import io
import zipfile

# Readers look for these first; the rest follow in name order.
_FIRST = ("[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml", "word/document.xml")
_ZIP_EPOCH = _dt.datetime(1980, 1, 1, tzinfo=_dt.timezone.utc)


def reproducible(data: bytes, when: _dt.datetime) -> bytes:
    """`data` (a zip) with every entry dated `when` and in a fixed order."""
    stamp = max(when.astimezone(_dt.timezone.utc), _ZIP_EPOCH)
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second // 2 * 2)
    if stamp.year > 2107:
        date_time = (2107, 12, 31, 23, 59, 58)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = source.namelist()
        order = sorted(names, key=lambda n: (_FIRST.index(n) if n in _FIRST else len(_FIRST), n))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for name in order:
                info = zipfile.ZipInfo(name, date_time=date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0o644 << 16
                target.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()
