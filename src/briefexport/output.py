"""Where outputs go: file names, atomic writes, reproducible timestamps."""

from __future__ import annotations

import datetime as _dt
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from .errors import BriefExportError
from .tree import Meta

# Used when neither SOURCE_DATE_EPOCH nor the front matter's `date` gives one,
# so that two renders of an undated source are still byte-identical.
FIXED_DATE = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)
_SLUG_MAX = 80


def slugify(text: str) -> str:
    """An ASCII file stem: 'Belarus’ Ties' -> 'belarus-ties'."""
    text = re.sub(r"['’‘`]", "", text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > _SLUG_MAX:
        slug = slug[:_SLUG_MAX].rsplit("-", 1)[0]
    return slug


def stem_for(meta: Meta, source: str | Path) -> str:
    """The output file stem: `slug`, else the title's slug, else the source's stem."""
    for candidate in (meta.slug, meta.title):
        slug = slugify(candidate)
        if slug:
            return slug
    return slugify(Path(source).stem) or "document"


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


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new, never half.

    A folder that cannot be made or written is a user error naming the path.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise BriefExportError(f"cannot write here: {exc.strerror or exc}", str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, path)
    except BaseException as exc:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise BriefExportError(f"cannot write: {exc.strerror or exc}", str(path)) from None
        raise


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} B"
    if size < 1000**2:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1000**2:.2f} MB"


# OOXML readers look for these first; the other entries follow in name order.
_ZIP_FIRST = ("[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
              "word/document.xml", "ppt/presentation.xml")
_ZIP_EPOCH = _dt.datetime(1980, 1, 1, tzinfo=_dt.timezone.utc)


def reproducible_zip(data: bytes, when: _dt.datetime) -> bytes:
    """`data` (a zip: .docx, .pptx) with every entry dated `when`, in a fixed order.

    Zip entries carry the time they were written; rewritten with one fixed
    date and order, the same input gives the same bytes.
    """
    stamp = max(when.astimezone(_dt.timezone.utc), _ZIP_EPOCH)
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second // 2 * 2)
    if stamp.year > 2107:  # the zip format's last representable year
        date_time = (2107, 12, 31, 23, 59, 58)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = source.namelist()
        order = sorted(names, key=lambda n: (_ZIP_FIRST.index(n) if n in _ZIP_FIRST else len(_ZIP_FIRST), n))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for name in order:
                info = zipfile.ZipInfo(name, date_time=date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0o644 << 16
                target.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()
