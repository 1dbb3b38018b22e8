"""Benchmark: briefexport against pandoc and Typst, with each target.

Run with `make bench` (`BENCH_RUNS=N` sets the runs per row, default 5).
Every row is a whole process started with `subprocess`: median wall and CPU
time after a warm-up run (`os.wait4`), and the child's peak resident memory
(GNU time's `%M`, so the benchmark's own memory never counts).  The rows run in
rounds (each row once, then again), so ours and the peers' share the load of
a shared machine alike.  Peers:

- pandoc (the system's `pandoc`), Markdown to DOCX;
- Typst (the `typst` package from PyPI, installed on first use into its own
  environment under `.bench/`), compiling `bench/typst_article.py`'s
  rendering of the same article: same content, fonts, sizes and page.

Prints one table and the targets with `ok`/`MISS`, and writes
`bench/results.json`.  A peer that is missing is reported, not faked.
"""

from __future__ import annotations

import json
import math
import os
import platform
import selectors
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from typst_article import write_typ  # noqa: E402

ARTICLE = ROOT / "source" / "article.md"
RESULTS = ROOT / "bench" / "results.json"
BENCH_DIR = ROOT / ".bench"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
TYPST_VERSION = "0.15.2"  # the version the numbers in the README were measured with
CLI = [sys.executable, "-m", "briefexport"]
BATCH = 50

# How Typst is run: a script given the .typ, the PDF, the font folder and
# whether the system's fonts are searched too (Typst's default).
TYPST_SCRIPT = (
    "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]], "
    "ignore_system_fonts=sys.argv[4] == 'own')"
)


# ------------------------------------------------------------ measuring


# Peak memory comes from GNU time (Debian's `time` package) when it is there:
# the maximum RSS that wait4 reports for a child started from this process
# counts this process's own pages, copied at the fork before the exec (a
# `python -c pass` would show the benchmark's 40 MiB).
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_process(args: list[str], cwd: Path = ROOT) -> tuple[float, float, float]:
    """Wall time (s), CPU time (s, user + system) and peak RSS (MiB) of one child process."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        command = [GNU_TIME, "-f", "%M", "-o", rss.name, *args] if GNU_TIME else args
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)  # GNU time's usage includes the command it waited for
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
        if code != 0:
            raise SystemExit(f"benchmark command failed ({code}): {' '.join(map(str, args))}\n{err}")
        peak_kib = int(rss.read().split()[-1]) if GNU_TIME else usage.ru_maxrss
    return elapsed, usage.ru_utime + usage.ru_stime, peak_kib / 1024  # Linux reports KiB


def measure_in_rounds(plan: list[tuple[str, list[str], int]], rows: dict[str, dict[str, float]]) -> None:
    """Every row once per round, round after round, so that ours and each peer's
    runs share the machine's ups and downs (it is shared); then medians."""
    print("  (warm-up run of every row, then rounds)", flush=True)
    for _, args, _ in plan:
        run_process(args)  # page cache, font caches, .pyc files
    samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name, _, _ in plan}
    for round_no in range(max(runs for _, _, runs in plan)):
        for name, args, runs in plan:
            if round_no < runs:
                samples[name].append(run_process(args))
    for name, _, runs in plan:
        times = [t for t, _, _ in samples[name]]
        rows[name] = {"median_s": statistics.median(times), "min_s": min(times),
                      "cpu_s": statistics.median(c for _, c, _ in samples[name]),
                      "peak_mib": max(m for _, _, m in samples[name]), "runs": runs}
        m = rows[name]
        print(f"  {name:<58} {m['median_s'] * 1000:8.1f} ms wall {m['cpu_s'] * 1000:8.1f} ms CPU "
              f"{m['peak_mib']:7.1f} MiB", flush=True)


def scaled_source(folder: Path, times: int) -> Path:
    """The article's body repeated `times` times, each copy under its own headings."""
    text = ARTICLE.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    parts = [body.replace("\n## ", f"\n## Part {i}: ") for i in range(1, times + 1)]
    path = folder / f"article-x{times}.md"
    path.write_text(f"---\n{front}slug: article-x{times}\n---\n" + "\n".join(parts), encoding="utf-8")
    return path


def batch_sources(folder: Path, count: int) -> list[Path]:
    """`count` copies of the article, each with its own slug (so its own output files)."""
    text = ARTICLE.read_text(encoding="utf-8")
    out = []
    for i in range(count):
        path = folder / f"batch-{i}.md"
        path.write_text(text.replace("\n---\n", f"\nslug: batch-{i}\n---\n", 1), encoding="utf-8")
        out.append(path)
    return out


def precompile() -> bool:
    """Write briefexport's bytecode, as `make` does after installing.

    Under PYTHONDONTWRITEBYTECODE an editable install would otherwise compile
    the package again in every process, and the benchmark would time the compiler.
    """
    import compileall

    import briefexport

    return bool(compileall.compile_dir(Path(briefexport.__file__).parent, quiet=1))


def in_process(sources: list[Path], formats: tuple[str, ...]) -> float:
    """CPU seconds per document for parse + render of every format, imports already paid.

    CPU time, not wall time: on a shared machine the wall time of a long
    render stretches with the neighbours' load, which would bend the fit.
    """
    import gc

    import briefexport

    theme = briefexport.load_theme()
    for fmt in formats:
        briefexport.render(briefexport.parse(sources[0]), fmt, theme)
    gc.collect()
    start = time.process_time()
    for source in sources:
        doc = briefexport.parse(source)
        for fmt in formats:
            briefexport.render(doc, fmt, theme)
    return (time.process_time() - start) / len(sources)


def growth_exponent(points: dict[int, float]) -> float:
    """The least-squares slope of log(time) over log(size): 1.0 is linear."""
    xs = [math.log(n) for n in points]
    ys = [math.log(t) for t in points.values()]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


# ------------------------------------------------------------------ peers


def pandoc_version() -> str | None:
    exe = shutil.which("pandoc")
    if not exe:
        return None
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False).stdout
    return out.splitlines()[0] if out else "pandoc"


def typst_python() -> tuple[Path | None, str]:
    """The Python of `.bench/typst-venv` with `typst` installed (made on first use)."""
    venv = BENCH_DIR / "typst-venv"
    python = venv / "bin" / "python"
    marker = venv / f".typst-{TYPST_VERSION}"
    if not marker.exists():
        try:
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
            subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"typst=={TYPST_VERSION}"], check=True)
            marker.touch()
        except (OSError, subprocess.CalledProcessError) as exc:
            return None, f"Typst could not be installed ({exc}); its rows are not measured"
    return python, f"typst {TYPST_VERSION} (PyPI)"


def typst_fonts(folder: Path) -> Path:
    """The theme's serif and sans faces, alone in one folder, for Typst."""
    import briefexport
    from briefexport.fonts import faces as fonts

    theme = briefexport.load_theme()
    target = folder / "fonts"
    target.mkdir(exist_ok=True)
    for role in ("body", "heading"):
        for face in fonts.family_faces(theme.fonts.chain(role)[0]).values():
            path = fonts.face_file(face)
            link = target / path.name
            if not link.exists():
                link.symlink_to(path)
    return target


# ------------------------------------------------------------------ watch


def watch_latency(source: Path, formats: list[str], out: Path, runs: int) -> dict[str, float]:
    """Touch `source` and time until every output's mtime has changed, in a running `watch`."""
    import briefexport

    doc = briefexport.parse(source)
    outputs = [out / briefexport.output_name(doc, f) for f in formats]
    args = [*CLI, "watch", str(source), "--output-dir", str(out), *sum((["-f", f] for f in formats), [])]
    # Started in the background, the benchmark may have inherited SIGINT ignored; the watch must see it.
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    sel = selectors.DefaultSelector()
    assert proc.stdout is not None
    sel.register(proc.stdout, selectors.EVENT_READ)

    def line(timeout: float = 30.0) -> str:
        if not sel.select(timeout):
            proc.kill()
            raise SystemExit(f"watch printed nothing in {timeout} s: {' '.join(args)}")
        return proc.stdout.readline()  # type: ignore[union-attr]

    try:
        line()  # the first render
        times = []
        for i in range(runs + 1):
            before = {p: p.stat().st_mtime_ns for p in outputs}
            time.sleep(0.15)  # a pause between saves, as when typing
            start = time.perf_counter()
            os.utime(source)
            deadline = start + 30
            while any(p.stat().st_mtime_ns == before[p] for p in outputs):
                if time.perf_counter() > deadline:
                    raise SystemExit("watch did not re-render within 30 s")
                time.sleep(0.0005)
            elapsed = time.perf_counter() - start
            line()
            if i:  # the first re-render is the warm-up
                times.append(elapsed)
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=10)
    if code != 0:
        raise SystemExit(f"watch exited with {code} on Ctrl-C")
    return {"median_s": statistics.median(times), "min_s": min(times), "cpu_s": float("nan"),
            "peak_mib": float("nan"), "runs": runs}


# ------------------------------------------------------------------- main


def main() -> int:
    compiled = precompile()
    pandoc = shutil.which("pandoc")
    typst, typst_note = typst_python()
    results: dict[str, object] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
        },
        "bytecode_precompiled": compiled,
        "pandoc": pandoc_version(),
        "typst": typst_note,
    }
    rows: dict[str, dict[str, float]] = {}

    plan: list[tuple[str, list[str], int]] = []

    def row(name: str, args: list[str], runs: int = RUNS) -> None:
        plan.append((name, args, runs))

    print(f"briefexport benchmark, {RUNS} runs a row (median), {results['machine']}")
    print(f"load average at the start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs "
          "(wall times stretch on a busy machine; CPU times much less)")
    print(f"peers: {results['pandoc'] or 'pandoc not installed'}; {typst_note}\n")
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        out = tmpdir / "out"
        x200 = scaled_source(tmpdir, 200)
        row("python -c pass", [sys.executable, "-c", "pass"])
        row("python -c 'import click'", [sys.executable, "-c", "import click"])
        row("floor: import docx, markdown_it, yaml, click",
            [sys.executable, "-c", "import docx, markdown_it, yaml, click"])
        row("floor: import reportlab.platypus, markdown_it, yaml, click",
            [sys.executable, "-c", "import reportlab.platypus, markdown_it, yaml, click"])
        for what in ("--version", "formats", "--help"):
            row(f"briefexport {what}", [*CLI, what])
        base = [*CLI, "render", "--quiet", "--output-dir", str(out)]
        for fmt in ("docx", "pdf", "onepager", "onepager-pptx", "all"):
            row(f"article {fmt}", [*base, str(ARTICLE), "-f", fmt])
        if untagged_switch() is not None:
            row("article pdf, untagged", [*base, str(ARTICLE), "-f", "pdf", *untagged_switch()])
        if pandoc:
            row("pandoc article -> docx", [pandoc, str(ARTICLE), "-o", str(tmpdir / "p.docx")])
        if typst:
            fonts = typst_fonts(tmpdir)
            typ = write_typ(ARTICLE, tmpdir / "article.typ")
            row("typst article (system fonts too: default)",
                [str(typst), "-c", TYPST_SCRIPT, str(typ), str(tmpdir / "t.pdf"), str(fonts), "all"])
            row("typst article (theme fonts only)",
                [str(typst), "-c", TYPST_SCRIPT, str(typ), str(tmpdir / "t.pdf"), str(fonts), "own"])
        big = max(2, RUNS // 2)
        row("article x200 pdf", [*base, str(x200), "-f", "pdf"], big)
        row("article x200 docx", [*base, str(x200), "-f", "docx"], big)
        if pandoc:
            row("pandoc article x200 -> docx", [pandoc, str(x200), "-o", str(tmpdir / "p200.docx")], big)
        if typst:
            typ200 = write_typ(x200, tmpdir / "article-x200.typ")
            row("typst article x200 (theme fonts only)",
                [str(typst), "-c", TYPST_SCRIPT, str(typ200), str(tmpdir / "t200.pdf"), str(fonts), "own"], big)
        sources = [str(p) for p in batch_sources(tmpdir, BATCH)]
        row(f"batch {BATCH} briefs, --jobs 2 -f all",
            [*base, *sources, "--jobs", "2", "-f", "pdf", "-f", "docx", "-f", "onepager"], big)
        measure_in_rounds(plan, rows)
        for name, formats in (("watch re-render, all three", ["pdf", "docx", "onepager"]),
                              ("watch re-render, pdf", ["pdf"])):
            watched = tmpdir / "watched.md"
            shutil.copyfile(ARTICLE, watched)
            rows[name] = watch_latency(watched, formats, tmpdir / "watch-out", max(RUNS, 5))
            print(f"  {name:<58} {rows[name]['median_s'] * 1000:8.1f} ms from the save to the last output",
                  flush=True)
        scaling = {n: in_process([scaled_source(tmpdir, n)] * 2, ("pdf", "docx", "onepager"))
                   for n in (10, 50, 200)}
    results["process"] = rows
    results["in_process_all_formats_s"] = scaling
    # The PDFs are tagged (PDF/UA-1); what that costs, tagged against untagged in one process.
    from tagging import report, tagging_cost

    with tempfile.TemporaryDirectory() as tmp:
        results["tagging"] = tagging_cost({"article": ARTICLE, "article x 50": scaled_source(Path(tmp), 50)}, RUNS)
    print("\nwhat tagging costs, in one process:\n" + report(results["tagging"]))  # type: ignore[arg-type]
    exponent = growth_exponent(scaling)
    print("\nin-process CPU time, all three formats: " + ", ".join(f"x{n} {s:.3f} s" for n, s in scaling.items())
          + f"; fitted growth exponent {exponent:.2f}")

    checks: list[dict[str, object]] = []

    def ratio(name: str, ours: str, peer: str, limit: float, key: str = "median_s") -> None:
        if ours not in rows or peer not in rows:
            checks.append({"target": name, "value": None, "limit": limit, "holds": False,
                           "note": f"not measured: {peer if peer not in rows else ours} missing"})
            return
        value = rows[ours][key] / rows[peer][key]
        check = {"target": name, "value": value, "limit": limit, "holds": value <= limit,
                 "ours": rows[ours][key], "peer": rows[peer][key]}
        if key == "median_s":
            check["cpu_ratio"] = rows[ours]["cpu_s"] / rows[peer]["cpu_s"]
        checks.append(check)

    ratio("docx / pandoc docx", "article docx", "pandoc article -> docx", 2.5)
    ratio("pdf / Typst (default: system fonts searched)", "article pdf", "typst article (system fonts too: default)", 2.5)
    ratio("pdf / Typst (theme fonts only)", "article pdf", "typst article (theme fonts only)", 2.5)
    ratio("all three / pandoc docx", "article all", "pandoc article -> docx", 3.5)
    for what in ("--version", "formats", "--help"):
        ratio(f"{what} / python -c 'import click'", f"briefexport {what}", "python -c 'import click'", 1.6)
    ratio("x200 pdf / Typst x200", "article x200 pdf", "typst article x200 (theme fonts only)", 0.8)
    ratio("x200 docx / pandoc x200", "article x200 docx", "pandoc article x200 -> docx", 0.3)
    ratio("x200 pdf peak RSS / Typst's", "article x200 pdf", "typst article x200 (theme fonts only)", 0.15, "peak_mib")
    if "article pdf, untagged" in rows:
        ratio("tagged pdf / untagged pdf", "article pdf", "article pdf, untagged", 1.15)
    for row_ in results["tagging"]:  # type: ignore[attr-defined]
        if row_["format"] == "pdf":
            cost = row_["tagged_s"] / row_["untagged_s"]
            # No target of its own: the targets above are measured with tagging on.
            checks.append({"target": f"tagged / untagged PDF brief, {row_['document']} (in-process CPU)",
                           "value": cost, "limit": None, "holds": None,
                           "ours": row_["tagged_s"], "peer": row_["untagged_s"]})
    per_brief = rows[f"batch {BATCH} briefs, --jobs 2 -f all"]["median_s"] / BATCH
    checks.append({"target": f"batch {BATCH} briefs --jobs 2 -f all, per brief (s)", "value": per_brief,
                   "limit": 0.045, "holds": per_brief <= 0.045})
    for name, limit in (("watch re-render, all three", 0.150), ("watch re-render, pdf", 0.080)):
        value = rows[name]["median_s"]
        checks.append({"target": f"{name} (s)", "value": value, "limit": limit, "holds": value <= limit})
    checks.append({"target": "growth exponent, x10..x200 in-process", "value": exponent, "limit": 1.1,
                   "holds": exponent <= 1.1})
    results["targets"] = checks

    floor_docx = rows["floor: import docx, markdown_it, yaml, click"]["median_s"]
    floor_pdf = rows["floor: import reportlab.platypus, markdown_it, yaml, click"]["median_s"]
    print(f"\n{'target':<60} {'ours':>9} {'peer':>9} {'ratio':>7} {'limit':>7}       {'CPU ratio':>9}")
    for c in checks:
        value = "n/a" if c["value"] is None else f"{c['value']:.3f}"
        ours = f"{c['ours']:.3f}" if "ours" in c else ""
        peer = f"{c['peer']:.3f}" if "peer" in c else ""
        extra = f"  ({c['note']})" if c.get("note") else ""
        cpu = f"{c['cpu_ratio']:.3f}" if "cpu_ratio" in c else ""
        status = "info" if c["holds"] is None else "ok  " if c["holds"] else "MISS"
        limit = "-" if c["limit"] is None else c["limit"]
        print(f"{c['target']:<60} {ours:>9} {peer:>9} {value:>7} {limit:>7}  {status} {cpu:>9}{extra}")
    print("(ours and peer: seconds, MiB for peak memory; ratio: ours / peer, or the value itself)")
    if pandoc:
        print(f"\nfloor: importing python-docx, markdown-it, PyYAML and click alone takes "
              f"{floor_docx / rows['pandoc article -> docx']['median_s']:.2f} x pandoc's whole DOCX run")
    if typst:
        for label in ("typst article (system fonts too: default)", "typst article (theme fonts only)"):
            print(f"floor: importing reportlab.platypus, markdown-it, PyYAML and click alone takes "
                  f"{floor_pdf / rows[label]['median_s']:.2f} x {label}")
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")
    return 0


def untagged_switch() -> list[str] | None:
    """The `render` arguments that turn PDF tagging off, once there are some; else None.

    HOOK for the tagged-PDF work: the PDF is to be tagged by default, and
    when `render` offers a way to turn that off (a `--no-tags` flag, or
    `--pdf-standard none`), the table gets an untagged row and the tagged /
    untagged ratio of whole processes; `bench/tagging.py` measures the same in
    one process meanwhile.
    """
    help_text = subprocess.run([*CLI, "render", "--help"], capture_output=True, text=True, check=False).stdout
    for flag in ("--no-tags", "--untagged", "--no-tagged"):
        if flag in help_text:
            return [flag]
    from briefexport import cli

    if "none" in getattr(cli, "PDF_STANDARDS", ()):
        return ["--pdf-standard", "none"]
    return None


if __name__ == "__main__":
    sys.exit(main())
