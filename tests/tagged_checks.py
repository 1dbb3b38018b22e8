"""Independent readings of a tagged PDF: poppler's structure text, and a
structural checker over the content streams with pikepdf.

Nothing here uses briefexport's own tagging code: the checks read the file
as a screen reader's PDF library would.
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

# Operators that paint text or images (inline images are parsed as "INLINE IMAGE").
SHOWING = frozenset({"Tj", "TJ", "'", '"', "Do", "INLINE IMAGE", "sh"})


# ------------------------------------------------------------ poppler's view


@dataclass
class Node:
    """One element of `pdfinfo -struct-text`: its type, its text, its children."""

    type: str
    texts: list[str] = field(default_factory=list)
    kids: list[Node] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.texts + [k.text for k in self.kids])

    def all(self):
        yield self
        for kid in self.kids:
            yield from kid.all()


_INLINE = frozenset({"#text", "Span", "Link", "Reference", "Quote", "BibEntry", "Annot"})


def spoken(node: Node) -> str:
    """The text a reader gets from `node`: an element's own pieces (one per page
    or column it was drawn on) joined as they are, block elements set apart."""
    if node.type == "#text":
        return "".join(node.texts)
    out = ""
    for kid in node.kids:
        out += spoken(kid) if kid.type in _INLINE else f" {spoken(kid)} "
    return out


def struct_text(path: Path) -> str:
    return subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True,
                          check=True).stdout


def struct_tree(path: Path) -> Node:
    """poppler's structure tree of `path`, with the text of each element in reading order."""
    root = Node("root")
    stack: list[tuple[int, Node]] = [(-1, root)]
    for line in struct_text(path).splitlines():
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        if not body:
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1]
        if body.startswith('"') and body.endswith('"'):
            # Text is printed in order among the element's kids: keep it as a kid.
            parent.kids.append(Node("#text", [body[1:-1]]))
        elif re.match(r"^[A-Z][A-Za-z0-9]*(:| \((block|inline)\)| <[^>]*>.*)?$", body):
            node = Node(re.match(r"[A-Za-z0-9]+", body).group())
            parent.kids.append(node)
            stack.append((indent, node))
    return root.kids[0] if root.kids else root


def words(text: str) -> Counter:
    """Lower-case words; a soft hyphen (a hyphenated line end) is not a letter."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "").lower()
    return Counter(re.findall(r"\w+", text))


def recall(expected: Counter, found: Counter) -> float:
    total = sum(expected.values())
    return sum(min(n, found[w]) for w, n in expected.items()) / total if total else 1.0


# ---------------------------------------------------------- pikepdf's view


def elements(pdf: pikepdf.Pdf):
    """Every structure element dictionary, in tree order."""
    root = pdf.Root.StructTreeRoot

    def walk(kid):
        if isinstance(kid, pikepdf.Array):
            for k in kid:
                yield from walk(k)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type", pikepdf.Name("/StructElem")) == "/StructElem" \
                and "/S" in kid:
            yield kid
            yield from walk(kid.get("/K"))

    yield from walk(root.K)


def _kids(element) -> list:
    k = element.get("/K")
    return list(k) if isinstance(k, pikepdf.Array) else ([] if k is None else [k])


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, object]:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def structural_problems(data: bytes) -> list[str]:
    """Everything that keeps a page from being fully tagged, as readable lines.

    Every text-showing and image-drawing operator must sit inside a marked-
    content sequence whose MCID the ParentTree maps to the element that
    lists it, or inside an Artifact (and never both); every annotation needs
    a StructParent leading to a Link that holds it; every page /Tabs /S;
    every Figure an /Alt.
    """
    problems: list[str] = []
    pdf = pikepdf.open(io.BytesIO(data))
    if "/StructTreeRoot" not in pdf.Root:
        return ["catalog: no /StructTreeRoot (an untagged PDF)"]
    if pdf.Root.get("/MarkInfo", {}).get("/Marked") is not True:
        problems.append("catalog: /MarkInfo /Marked is not true")
    if not str(pdf.Root.get("/Lang", "")):
        problems.append("catalog: no /Lang")
    tree = parent_tree(pdf)
    owned: dict[tuple[tuple[int, int], int], tuple[int, int]] = {}  # (page, mcid) -> element
    for element in elements(pdf):
        home = element.get("/Pg")
        for kid in _kids(element):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                owned[(kid.Pg.objgen, int(kid.MCID))] = element.objgen
            elif not isinstance(kid, pikepdf.Dictionary) and home is not None:
                owned[(home.objgen, int(kid))] = element.objgen
        if element.S == "/Figure" and not str(element.get("/Alt", "")).strip():
            problems.append("a Figure without /Alt")
    for number, page in enumerate(pdf.pages, 1):
        if page.obj.get("/Tabs") != "/S":
            problems.append(f"page {number}: no /Tabs /S")
        key = page.obj.get("/StructParents")
        mapped = tree.get(int(key)) if key is not None else None
        stack: list[tuple[bool, int | None]] = []  # (artifact, mcid)
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BMC", "BDC"):
                artifact = str(operands[0]) == "/Artifact"
                props = operands[1] if op == "BDC" else None
                mcid = int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
                if artifact and any(m is not None for _, m in stack):
                    problems.append(f"page {number}: an Artifact inside tagged content")
                if mcid is not None and any(a for a, _ in stack):
                    problems.append(f"page {number}: MCID {mcid} inside an Artifact")
                stack.append((artifact, mcid))
            elif op == "EMC":
                if not stack:
                    problems.append(f"page {number}: EMC without BMC/BDC")
                else:
                    stack.pop()
            elif op in SHOWING:
                if any(a for a, _ in stack):
                    continue
                ids = [m for _, m in stack if m is not None]
                if not ids:
                    problems.append(f"page {number}: {op} outside any marked content or artifact")
                    continue
                mcid = ids[-1]
                target = mapped[mcid] if mapped is not None and mcid < len(mapped) else None
                if not isinstance(target, pikepdf.Dictionary):
                    problems.append(f"page {number}: MCID {mcid} is not in the ParentTree")
                elif owned.get((page.obj.objgen, mcid)) != target.objgen:
                    problems.append(f"page {number}: MCID {mcid} maps to an element that does not hold it")
        if stack:
            problems.append(f"page {number}: marked content left open")
        for annot in page.obj.get("/Annots", []):
            parent = tree.get(int(annot.get("/StructParent", -1)))
            if parent is None:
                problems.append(f"page {number}: an annotation without a StructParent")
            elif parent.S != "/Link" or not any(
                    isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR" and k.Obj.objgen == annot.objgen
                    for k in _kids(parent)):
                problems.append(f"page {number}: an annotation whose StructParent is not its Link")
            elif not str(annot.get("/Contents", "")).strip():
                problems.append(f"page {number}: a link annotation without /Contents")
    return problems
