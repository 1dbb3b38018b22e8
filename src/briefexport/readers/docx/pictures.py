"""Pictures in the DOCX: figures briefexport wrote (mapped back to their files) and ones an editor inserted.

The round-trip part lists the SHA-256 of every picture's bytes with its
source file name, so a figure reads back with its `src`.  A picture not in
that list gets a file name (`<docx>-image-N.png`) and its bytes are handed
to the caller, which writes them beside the Markdown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from ...common import docx_model as M
from ...tree import Text
from .package import image_digest


class Pictures:
    """Mixed into `body.Reader`: uses its `pkg`, `info`, `images`, `warn` and `_where`."""

    pkg: Any
    info: dict
    images: dict[str, tuple[str, bytes]]

    def _picture(self, content: Any, inlines, events, pending, in_note: bool) -> None:
        if "figure" in pending:
            events.append(pending.pop("figure"))
        for drawing in content.pictures:
            src, alt, title = self._image(drawing)
            title = title or self.info.get("titles", {}).get(src, "")
            if not src:
                src = self._new_image(drawing)
                if not src:
                    self.warn(f"{self._where(content.text() or alt)}: a picture with no image data is not kept"
                              + (f"; its alt text {alt!r} follows" if alt else ""))
                    if alt:
                        events.append(M.P("body", (Text(alt),)))
                    continue
                self.warn(f"{self._where(content.text() or alt)}: a picture briefexport did not write is saved as "
                          f"{src}, beside the Markdown")
            if in_note:
                events.append(M.P("caption", (Text(alt),) if alt else ()))
                continue
            pending["figure"] = M.Fig(src, alt, (), title)
        if inlines:
            events.append(M.P("body", inlines))

    def _new_image(self, drawing: etree._Element) -> str:
        """A file name for a picture the editor inserted; its bytes go to `images` for the caller to write."""
        data = self._blob(drawing)
        if data is None:
            return ""
        part, blob = data
        digest = image_digest(blob)
        for name, (known, _bytes) in self.images.items():
            if known == digest:
                return name
        suffix = Path(part).suffix.lower() or ".png"
        name = f"{Path(self.pkg.path).stem}-image-{len(self.images) + 1}{suffix}"
        self.images[name] = (digest, blob)
        return name

    def _blob(self, drawing: etree._Element) -> tuple[str, bytes] | None:
        blip = next((e for e in drawing.iter() if isinstance(e.tag, str) and e.tag.endswith("}blip")), None)
        rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed", "") if blip is not None else ""
        return self.pkg.media.get(rid)

    def _image(self, drawing: etree._Element) -> tuple[str, str, str]:
        doc_pr = next((e for e in drawing.iter() if isinstance(e.tag, str) and e.tag.endswith("}docPr")), None)
        alt = doc_pr.get("descr", "") if doc_pr is not None else ""
        title = doc_pr.get("title", "") if doc_pr is not None else ""
        data = self._blob(drawing)
        src = self.info.get("figures", {}).get(image_digest(data[1]), "") if data else ""
        return src, alt, title
