"""Fonts embedded in the DOCX (ISO/IEC 29500-1 §17.8.1), checked in the zip and in LibreOffice."""

from __future__ import annotations

import io
import re
import subprocess
import warnings
import zipfile

import pytest
from lxml import etree

from briefexport.fonts.paths import cache_dir
from briefexport import load_theme, render
from briefexport.errors import BriefExportWarning
from briefexport.fonts.faces import face_file, family_faces
from briefexport.readers.markdown import parse as parse_text

from conftest import require_tool
from fontmaker import ttf_font

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
SOURCE = """---
title: Fonts travel with the file
authors: [Ana Example]
---

Plain body text with *an emphasis* and **a strong phrase**.

## A heading

```
code in the mono font
```
"""


def _docx(text: str, theme=None, name: str = "fonts.md") -> bytes:
    return render(parse_text(text, source=name), "docx", theme or load_theme())


def _embedded(data: bytes) -> dict[tuple[str, str], bytes]:
    """(family, Regular/Bold/...) -> the de-obfuscated font bytes, read as the standard says."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        table = etree.fromstring(z.read("word/fontTable.xml"))
        rels = {r.get("Id"): r.get("Target") for r in etree.fromstring(z.read("word/_rels/fontTable.xml.rels"))}
        for font in table.iter(f"{W}font"):
            for embed in font:
                if not embed.tag.startswith(f"{W}embed"):
                    continue
                key = bytes.fromhex(embed.get(f"{W}fontKey").strip("{}").replace("-", ""))[::-1]
                data = bytearray(z.read("word/" + rels[embed.get(f"{R}id")]))
                for i in range(32):
                    data[i] ^= key[i % 16]
                out[(font.get(f"{W}name"), embed.tag[len(W) + len("embed"):])] = bytes(data)
    return out


def _family_file(theme, family: str, style: str) -> bytes:
    fam = next(f for f in theme.fonts.families if f.name == family)
    return face_file(family_faces(fam)[style]).read_bytes()


def test_obfuscation_follows_the_standard():
    from briefexport.backends.brief_docx.fontembed import obfuscate

    key = "{00010203-0405-0607-0809-0A0B0C0D0E0F}"
    # The first 32 bytes are XOR-ed with the GUID's bytes read from its end; the rest is untouched.
    done = obfuscate(bytes(40), key)
    assert done[:32] == bytes(range(15, -1, -1)) * 2
    assert done[32:] == bytes(8)
    assert obfuscate(done, key) == bytes(40)


def test_only_the_faces_the_text_uses_are_embedded_whole():
    theme = load_theme()
    data = _docx(SOURCE, theme)
    fonts = _embedded(data)
    # Body regular, italic and bold; heading regular (authors) and bold (title,
    # heading); mono regular. No serif bold italic, no sans italic, no mono bold.
    assert set(fonts) == {
        ("Source Serif Pro", "Regular"), ("Source Serif Pro", "Italic"), ("Source Serif Pro", "Bold"),
        ("Source Sans Pro", "Regular"), ("Source Sans Pro", "Bold"), ("Source Code Pro", "Regular"),
    }
    # Whole faces, byte for byte the theme's files (LibreOffice ignores subsets for editing).
    assert fonts[("Source Serif Pro", "Regular")] == _family_file(theme, "source-serif", "regular")
    assert fonts[("Source Serif Pro", "Bold")] == _family_file(theme, "source-serif", "bold")
    assert fonts[("Source Code Pro", "Regular")] == _family_file(theme, "source-code", "regular")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        settings = etree.fromstring(z.read("word/settings.xml"))
        assert settings.find(f"{W}embedTrueTypeFonts") is not None
        types = z.read("[Content_Types].xml").decode()
        assert "application/vnd.openxmlformats-officedocument.obfuscatedFont" in types
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in z.infolist())


def test_a_theme_can_turn_embedding_off(tmp_path):
    theme_file = tmp_path / "plain.toml"
    theme_file.write_text('extends = "default"\n[output]\ndocx-embed-fonts = false\n', encoding="utf-8")
    data = _docx(SOURCE, load_theme(theme_file))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not [n for n in z.namelist() if n.startswith("word/fonts/")]
        assert b"embedTrueTypeFonts" not in z.read("word/settings.xml")
    assert len(data) < 40_000


def test_a_face_whose_licence_forbids_embedding_is_left_out_with_a_warning(tmp_path):
    from fontTools.ttLib import TTFont

    path = ttf_font(tmp_path / "Restricted.ttf", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,", "Restricted Serif")
    font = TTFont(str(path))
    font["OS/2"].fsType = 0x0002  # restricted licence embedding
    font.save(str(path))
    theme_file = tmp_path / "restricted.toml"
    theme_file.write_text('extends = "default"\n[fonts]\nbody = ["restricted"]\nsystem-fallback = false\n'
                          '[fonts.families.restricted]\nregular = "Restricted.ttf"\n', encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = _docx("---\ntitle: T\n---\n\nplain text.\n", load_theme(theme_file))
    assert [str(w.message) for w in caught if issubclass(w.category, BriefExportWarning)
            and "Restricted.ttf" in str(w.message) and "installable embedding" in str(w.message)]
    assert not [f for f in _embedded(data) if f[0] == "Restricted Serif"]
    assert ("Source Sans Pro", "Bold") in _embedded(data)  # the title's face still travels


def test_the_compressed_parts_come_from_the_cache(monkeypatch):
    from briefexport.common.stamps import Deflated

    first = _docx(SOURCE)

    def no_compressing(*_args, **_kwargs):
        raise AssertionError("a font was compressed again")

    monkeypatch.setattr(Deflated, "of", no_compressing)
    assert _docx(SOURCE) == first
    assert list(cache_dir("docx").glob("SourceSerifPro-Regular-*.odttf.z"))


def test_libreoffice_uses_the_embedded_fonts(tmp_path):
    soffice = require_tool("soffice")
    pdffonts = require_tool("pdffonts")
    fc_list = subprocess.run([require_tool("fc-list"), ":", "family"], capture_output=True, text=True).stdout
    if "Source Serif Pro" in fc_list:
        pytest.skip("Source Serif Pro is installed on this machine, so LibreOffice would use it anyway")
    off = tmp_path / "off.toml"
    off.write_text('extends = "default"\n[output]\ndocx-embed-fonts = false\n', encoding="utf-8")
    (tmp_path / "embedded.docx").write_bytes(_docx(SOURCE))
    (tmp_path / "named.docx").write_bytes(_docx(SOURCE, load_theme(off)))
    listed = {}
    for name in ("embedded", "named"):
        # A profile each: LibreOffice keeps a document's embedded fonts for the rest of its session.
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo-{name}",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / f"{name}.docx")],
                       check=True, capture_output=True, timeout=300)
        out = subprocess.run([pdffonts, str(tmp_path / f"{name}.pdf")], check=True, capture_output=True,
                             text=True).stdout
        listed[name] = {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]) for line in out.splitlines()[2:]}
    assert {"SourceSerifPro-Regular", "SourceSerifPro-It", "SourceSerifPro-Semibold", "SourceSansPro-Regular",
            "SourceSansPro-Semibold", "SourceCodePro-Regular"} <= listed["embedded"]
    # The oracle works: without embedding LibreOffice substitutes them.
    assert not any(f.startswith("Source") for f in listed["named"])


def test_a_damaged_cache_entry_is_made_again():
    first = _docx(SOURCE)
    for entry in cache_dir("docx").glob("SourceSerifPro-Regular-*.odttf.z"):
        entry.write_bytes(entry.read_bytes()[:1000])  # cut short, as a full disk would leave it
    again = _docx(SOURCE)
    assert again == first
    with zipfile.ZipFile(io.BytesIO(again)) as z:
        assert z.testzip() is None
