"""Benchmark: briefexport against its targets (and pandoc, when installed).

Run with `make bench`.  Prints a table, the targets with whether they hold,
and writes bench/results.json.  Whole-process timings are medians of several
runs after a warm-up; peak memory is the child's own maximum resident size
(`os.wait4`), so the benchmark's own memory never counts.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "source" / "article.md"
RESULTS = ROOT / "bench" / "results.json"
MISSION = ("pdf", "docx", "onepager")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
BATCH_PROCESS = 8  # sources in the `--jobs` rows


def run_process(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"benchmark command failed: {' '.join(args)}\n{err}")
    if proc.stderr:
        proc.stderr.close()
    return elapsed, usage.ru_maxrss / 1024  # Linux reports KiB


def median_process(args: list[str], cwd: Path, runs: int = RUNS) -> dict[str, float]:
    run_process(args, cwd)  # warm-up: page cache, font instance cache, .pyc files
    times, peaks = [], []
    for _ in range(runs):
        elapsed, peak = run_process(args, cwd)
        times.append(elapsed)
        peaks.append(peak)
    return {"median_s": statistics.median(times), "min_s": min(times), "peak_mib": max(peaks), "runs": runs}


def scaled_source(folder: Path, times: int) -> Path:
    """The article's body repeated `times` times, each copy under its own headings."""
    text = ARTICLE.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    parts = []
    for i in range(1, times + 1):
        parts.append(body.replace("\n## ", f"\n## Part {i}: "))
    path = folder / f"article-x{times}.md"
    path.write_text(f"---\n{front}slug: article-x{times}\n---\n" + "\n".join(parts), encoding="utf-8")
    return path


def in_process(sources: list[Path], formats: tuple[str, ...]) -> float:
    """Seconds per document for parse + render of every format, imports already paid."""
    import briefexport

    theme = briefexport.load_theme()
    for fmt in formats:  # pay imports and font registration first
        briefexport.render(briefexport.parse(sources[0]), fmt, theme)
    gc.collect()
    start = time.perf_counter()
    for source in sources:
        doc = briefexport.parse(source)
        for fmt in formats:
            briefexport.render(doc, fmt, theme)
    return (time.perf_counter() - start) / len(sources)


def available(formats: tuple[str, ...]) -> tuple[str, ...]:
    from briefexport import backends

    names = set(backends.names())
    return tuple(f for f in formats if f in names)


def precompile() -> bool:
    """Write briefexport's bytecode, as a regular install does.

    An editable install leaves it to the first import, which writes nothing
    under PYTHONDONTWRITEBYTECODE: then every run would compile the package
    again and the benchmark would time the compiler, not briefexport.
    """
    import compileall

    import briefexport

    return bool(compileall.compile_dir(Path(briefexport.__file__).parent, quiet=1))


def batch_sources(folder: Path, count: int) -> list[Path]:
    """`count` copies of the article, each with its own slug (so its own output files)."""
    text = ARTICLE.read_text(encoding="utf-8")
    out = []
    for i in range(count):
        path = folder / f"batch-{i}.md"
        path.write_text(text.replace("\n---\n", f"\nslug: batch-{i}\n---\n", 1), encoding="utf-8")
        out.append(path)
    return out


def main() -> int:
    briefexport_cli = [sys.executable, "-m", "briefexport"]
    compiled = precompile()
    formats = available(MISSION)
    missing = [f for f in MISSION if f not in formats]
    results: dict[str, object] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
        },
        "bytecode_precompiled": compiled,
        "formats": list(formats),
        "missing_formats": missing,
    }
    rows: list[tuple[str, str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        x50 = scaled_source(tmpdir, 50)
        x10 = scaled_source(tmpdir, 10)
        out = tmpdir / "out"
        for label, source in (("article", ARTICLE), ("article x 50", x50)):
            base = [*briefexport_cli, "render", str(source), "--quiet", "--output-dir", str(out)]
            if formats:
                rows.append((label, "all three", median_process([*base, *sum((["-f", f] for f in formats), [])], ROOT)))
            for fmt in formats:
                rows.append((label, fmt, median_process([*base, "-f", fmt], ROOT)))
        rows.append(("-", "import only", median_process(
            [sys.executable, "-c", "import reportlab.platypus, docx, markdown_it"], ROOT)))
        rows.append(("-", "briefexport formats", median_process([*briefexport_cli, "formats"], ROOT)))
        if formats:
            # Rebuilding an archive: one process for many sources, one worker per core or in-process.
            sources = [str(p) for p in batch_sources(tmpdir, BATCH_PROCESS)]
            base = [*briefexport_cli, "render", *sources, "--quiet", "--output-dir", str(out),
                    *sum((["-f", f] for f in formats), [])]
            label = f"{BATCH_PROCESS} sources"
            rows.append((label, "all three, --jobs 1", median_process([*base, "--jobs", "1"], ROOT, max(3, RUNS // 2))))
            jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
            rows.append((label, f"all three, --jobs {jobs}",
                         median_process([*base, "--jobs", str(jobs)], ROOT, max(3, RUNS // 2))))
        pandoc = shutil.which("pandoc")
        if pandoc:
            rows.append(("article", "pandoc docx", median_process(
                [pandoc, str(ARTICLE), "-o", str(tmpdir / "p.docx")], ROOT)))
        results["process"] = [{"document": d, "what": w, **m} for d, w, m in rows]

        scaling = {}
        if formats:
            results["batch_per_document_s"] = in_process(batch_sources(tmpdir, 20), formats)
            for n, source in ((1, ARTICLE), (10, x10), (50, x50)):
                scaling[n] = in_process([source] * 3, formats)
        results["in_process_scaling_s"] = scaling
        if "pdf" in formats:
            from tagging import tagging_cost

            results["tagging"] = tagging_cost({"article": ARTICLE, "article x 50": x50}, RUNS)

    lookup = {(d, w): m for d, w, m in rows}
    checks = []

    def target(name: str, value: float | None, limit: float, unit: str) -> None:
        holds = value is not None and value <= limit
        checks.append({"target": name, "value": value, "limit": limit, "unit": unit, "holds": holds})

    allm = lookup.get(("article", "all three"))
    target("article, all three formats, median wall time", allm and allm["median_s"], 0.40, "s")
    target("article, all three formats, peak memory", allm and allm["peak_mib"], 90, "MiB")
    if pandoc and ("article", "docx") in lookup:
        ratio = lookup[("article", "docx")]["median_s"] / lookup[("article", "pandoc docx")]["median_s"]
        target("DOCX alone / pandoc DOCX (same run)", ratio, 1.5, "x")
    x50pdf = lookup.get(("article x 50", "pdf"))
    target("article x 50, PDF brief alone", x50pdf and x50pdf["median_s"], 1.2, "s")
    x50all = lookup.get(("article x 50", "all three"))
    target("article x 50, all three formats, time", x50all and x50all["median_s"], 2.5, "s")
    target("article x 50, all three formats, memory", x50all and x50all["peak_mib"], 250, "MiB")
    batch = results.get("batch_per_document_s")
    target("batch in-process, per document (all three)", batch, 0.100, "s")  # type: ignore[arg-type]
    if scaling.get(1) and scaling.get(50):
        # Linear growth: the per-copy cost at x50 is no worse than 1.25 x the cost at x1.
        per_copy = scaling[50] / 50 / scaling[1]
        target("linear growth: per-copy cost x50 / x1", per_copy, 1.25, "x")
    results["targets"] = checks

    print(f"briefexport benchmark on {results['machine']}")
    if missing:
        print(f"formats not registered (not measured): {', '.join(missing)}")
    print(f"\n{'document':<14} {'what':<24} {'median s':>9} {'min s':>7} {'peak MiB':>9}")
    for d, w, m in rows:
        print(f"{d:<14} {w:<24} {m['median_s']:>9.3f} {m['min_s']:>7.3f} {m['peak_mib']:>9.1f}")
    if scaling:
        print("\nin-process, one document, all formats: " + ", ".join(f"x{n}: {s:.3f} s" for n, s in scaling.items()))
    if batch is not None:
        print(f"batch of 20 in one process: {batch * 1000:.1f} ms per document")
    if results.get("tagging"):
        from tagging import report

        print("\nwhat tagging costs, in one process:\n" + report(results["tagging"]))  # type: ignore[arg-type]
    print("\ntargets:")
    for c in checks:
        value = "n/a" if c["value"] is None else f"{c['value']:.3f} {c['unit']}"
        print(f"  [{'ok' if c['holds'] else 'MISS'}] {c['target']}: {value} (target <= {c['limit']} {c['unit']})")
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
