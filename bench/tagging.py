"""What tagging costs: the PDF brief and the one-pager rendered tagged and untagged.

In one process, imports and fonts paid first; medians of `runs` renders, in
CPU seconds of this process (wall time on a shared machine measures the neighbours).
Run on its own (`python bench/tagging.py`) or from `make bench`.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
import warnings
from pathlib import Path


def _median(fn, runs: int) -> float:
    fn()  # warm-up
    gc.collect()
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def tagging_cost(sources: dict[str, Path], runs: int = 5) -> list[dict[str, object]]:
    """One row per document and format: seconds and bytes, tagged and untagged."""
    import briefexport
    from briefexport.backends.brief_pdf.build import render_brief
    from briefexport.backends.onepager.pdf import draw
    from briefexport.backends.onepager.plan import plan

    theme = briefexport.load_theme()
    rows: list[dict[str, object]] = []
    for label, path in sources.items():
        doc = briefexport.parse(path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            slide = plan(doc, theme)
        jobs = {
            "pdf": lambda tagged: render_brief(doc, theme, base_dir=path.parent, tagged=tagged),
            "onepager": lambda tagged: draw(slide, doc, theme, tagged=tagged),
        }
        for fmt, job in jobs.items():
            row: dict[str, object] = {"document": label, "format": fmt}
            for tagged in (False, True):
                key = "tagged" if tagged else "untagged"
                row[f"{key}_s"] = _median(lambda: job(tagged), runs)
                row[f"{key}_bytes"] = len(job(tagged))
            rows.append(row)
    return rows


def report(rows: list[dict[str, object]]) -> str:
    lines = [f"{'document':<14} {'format':<9} {'untagged CPU s':>14} {'tagged CPU s':>13} {'cost':>7} {'untagged kB':>12} {'tagged kB':>10}"]
    for r in rows:
        cost = r["tagged_s"] / r["untagged_s"] - 1  # type: ignore[operator]
        lines.append(f"{r['document']:<14} {r['format']:<9} {r['untagged_s']:>14.3f} {r['tagged_s']:>13.3f} "
                     f"{cost:>+7.0%} {r['untagged_bytes'] / 1000:>12.1f} {r['tagged_bytes'] / 1000:>10.1f}")
    return "\n".join(lines)


if __name__ == "__main__":
    import tempfile

    sys.path.insert(0, str(Path(__file__).parent))
    from run import ARTICLE, scaled_source  # noqa: E402

    with tempfile.TemporaryDirectory() as tmp:
        print(report(tagging_cost({"article": ARTICLE, "article x 50": scaled_source(Path(tmp), 50)})))
