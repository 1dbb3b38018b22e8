"""Benchmark: render time against source size (1, 5 and 20 MB), part of `make bench`.

Time must grow about linearly with the source.  Three shapes of source:
the article's body repeated (many ordinary paragraphs), one paragraph that
is the whole document, and one long code block.  Each row is one whole
`python -m briefexport render` process (wall time and the child's peak
memory, from `os.wait4`); SIZES_MB=1,5 picks the sizes.  Prints a table and
writes bench/sizes.json.
"""

from __future__ import annotations

import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "source" / "article.md"
RESULTS = ROOT / "bench" / "sizes.json"
SIZES_MB = tuple(int(x) for x in os.environ.get("SIZES_MB", "1,5,20").split(","))
WORDS = "the policy of regional cooperation and self-contained economic development remains uncertain".split()


def article_body(size: int) -> str:
    text = ARTICLE.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    parts, total, i = [], len(front), 0
    while total < size:
        i += 1
        part = body.replace("\n## ", f"\n## Part {i}: ")
        parts.append(part)
        total += len(part.encode("utf-8"))
    return f"---\n{front}---\n" + "\n".join(parts)


def one_paragraph(size: int) -> str:
    rng = random.Random(1)
    words, total = [], 0
    while total < size:
        word = rng.choice(WORDS)
        words.append(word)
        total += len(word) + 1
    return "# One paragraph\n\n" + " ".join(words) + "\n"


def code_block(size: int) -> str:
    lines, total, i = [], 0, 0
    while total < size:
        line = f"result_{i} = compute(alpha, beta) + other_value * {i}"
        lines.append(line)
        total += len(line) + 1
        i += 1
    return "# Code\n\n```\n" + "\n".join(lines) + "\n```\n"


def run(source: Path, fmt: str, out: Path) -> tuple[float, float, int]:
    args = [sys.executable, "-m", "briefexport", "render", str(source), "-f", fmt, "-d", str(out), "-q"]
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{err}")
    return elapsed, usage.ru_maxrss / 1024, code


def main() -> None:
    rows = []
    shapes = (("article body repeated", article_body, ("pdf", "docx", "json")),
              ("one paragraph", one_paragraph, ("pdf",)),
              ("one code block", code_block, ("pdf",)))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for label, make, formats in shapes:
            for mb in SIZES_MB:
                source = folder / f"{make.__name__}-{mb}mb.md"
                source.write_text(make(mb * 1_000_000), encoding="utf-8")
                for fmt in formats:
                    elapsed, peak, _ = run(source, fmt, folder / "out")
                    rows.append({"source": label, "mb": mb, "bytes": source.stat().st_size, "format": fmt,
                                 "seconds": round(elapsed, 2), "peak_mib": round(peak)})
                    print(f"{label:22} {mb:3d} MB  {fmt:5}  {elapsed:7.2f} s  {peak:6.0f} MiB", flush=True)
    print("\nseconds per MB (linear growth keeps this flat):")
    for label, _, formats in shapes:
        for fmt in formats:
            per = [f"{r['seconds'] / r['mb']:.2f}" for r in rows if r["source"] == label and r["format"] == fmt]
            print(f"  {label:22} {fmt:5} " + " / ".join(per) + f"  (at {' / '.join(map(str, SIZES_MB))} MB)")
    RESULTS.write_text(json.dumps({"machine": platform.platform(), "python": platform.python_version(),
                                   "cpu_count": os.cpu_count(), "rows": rows}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
