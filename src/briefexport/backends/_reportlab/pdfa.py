"""PDF/A-2 from the PDF reportlab wrote: a post-process with pikepdf.

reportlab already writes most of what PDF/A-2 asks: every font embedded and
subset (the canvas's initial font is the theme's, so no bare Helvetica is
listed), no transparency groups, JavaScript or encryption, and the XMP
packet with `pdfaid` (and, for a tagged file, `pdfuaid` with the extension
schema that declares it; see `metadata`).
pikepdf (qpdf) adds the rest without touching page content: the sRGB
OutputIntent from the ICC profile pikepdf ships, the Print flag on
annotations, no empty page-transition dictionaries.  Importing pikepdf's
PDF/A module costs about 0.1 s, so only PDF/A renders load it.

pikepdf's `prepare` also rewrites the XMP packet: it drops `pdfuaid`, stamps
the current time and names itself the producer.  The packet and the Info
dictionary reportlab wrote are put back, so the file keeps its PDF/UA
identification and is byte-identical on re-render (with qpdf's
deterministic /ID).

Then pikepdf's PDF/A-2b validator reads the bytes written.  It cannot know
two things, which `expected` names: the extension schema that declares
`pdfuaid` (it admits no extension schema) and conformance level A (it checks
level B only).  Of anything else, a violation (a construct that breaks
PDF/A, such as a CMYK image against the sRGB intent) is an error: the file
would claim what it is not, so nothing is written.  A construct the
validator merely does not check is a warning naming the rule and where.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from ...errors import BriefExportWarning, RenderError
from .metadata import PDFA

# What the validator reports about the declaration of `pdfuaid`: the
# extension schema's namespaces and property, and the property it declares.
_EXTENSION = ("pdfaExtension", "pdfaSchema", "pdfaProperty", "pdfuaid:part")


def expected(finding: Any, standard: str) -> bool:
    """Whether a finding of pikepdf's validator is one of the two it cannot know."""
    if finding.rule.endswith(":6.6.2.3.1-1") and any(name in finding.message for name in _EXTENSION):
        return True
    return standard == "a-2a" and finding.rule.endswith(":6.6.4-3") and "'A'" in finding.message


def convert(data: bytes, standard: str) -> bytes:
    """`data`, a reportlab PDF carrying the XMP of `standard`, as PDF/A-2 (unchanged for ua-1)."""
    if PDFA[standard] is None:
        return data
    import pikepdf
    from pikepdf import pdfa

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            # reportlab writes an empty /Trans on every page; the validator
            # cannot check it, and a page transition means nothing in print.
            trans = page.obj.get("/Trans")
            if isinstance(trans, pikepdf.Dictionary) and not trans.keys():
                del page.obj["/Trans"]
        xmp = pdf.Root.Metadata.read_bytes()
        info = {key: pdf.docinfo[key] for key in pdf.docinfo.keys()}
        pdfa.prepare(pdf, "2b", output_intent="sRGB")
        pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
        for key in list(pdf.docinfo.keys()):
            del pdf.docinfo[key]
        for key, value in info.items():
            pdf.docinfo[key] = value
        out = io.BytesIO()
        pdf.save(out, **pdfa.resolve_save_kwargs("2b", deterministic_id=True, min_version="1.7"))
    result = out.getvalue()
    unknown = [f for f in findings(result) if not expected(f, standard)]
    violations = [f for f in unknown if f.kind == "violation"]
    if violations:
        more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
        first = violations[0]
        raise RenderError(f"cannot write {standard}: pikepdf's PDF/A check finds {first.rule} at {first.where}: "
                          f"{first.message}{more}")
    for finding in unknown:
        warnings.warn(f"PDF/A-2 check (pikepdf): {finding}", BriefExportWarning, stacklevel=2)
    return result


def findings(data: bytes) -> list[Any]:
    """Every finding of pikepdf's PDF/A-2b validator on `data` (its `Finding`s)."""
    from pikepdf import pdfa

    return list(pdfa.validate_written(io.BytesIO(data), "2b").findings)
