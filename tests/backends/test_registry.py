"""The format registry: built-in formats without metadata, others through entry points."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

import briefexport
from briefexport import backends

from conftest import ARTICLE, ROOT


def test_builtin_table_is_what_pyproject_declares() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert backends.BUILTIN == declared["project"]["entry-points"][backends.GROUP]
    installed = {ep.name: ep.value for ep in importlib.metadata.entry_points(group=backends.GROUP)}
    assert {k: installed.get(k) for k in backends.BUILTIN} == backends.BUILTIN


def test_version_is_the_installed_one() -> None:
    assert briefexport.__version__ == importlib.metadata.version("briefexport")


def _modules_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))\n"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    return set(result.stdout.split()[-1000:])


def test_rendering_a_builtin_format_reads_no_package_metadata() -> None:
    loaded = _modules_after(
        "import briefexport\n"
        f"briefexport.render(briefexport.parse({str(ARTICLE)!r}), 'json')"
    )
    assert "briefexport.backends.json" in loaded  # it did render
    assert "importlib.metadata" not in loaded


def test_version_and_help_import_only_click(tmp_path: Path) -> None:
    for args in (["--version"], ["--help"], ["render", "--help"]):
        loaded = _modules_after(
            "from briefexport.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass"
        )
        assert "click" in loaded
        heavy = {"importlib.metadata", "markdown_it", "yaml", "briefexport.tree", "briefexport.theme"} & loaded
        assert not heavy, (args, heavy)


def test_a_third_party_format_registers_through_an_entry_point(tmp_path: Path) -> None:
    # A distribution on the path as pip would leave it: its module and its
    # .dist-info with the entry point, nothing else.
    (tmp_path / "briefhtml.py").write_text(
        "class HtmlBackend:\n"
        "    name = 'html'\n"
        "    suffix = '.html'\n"
        "    media_type = 'text/html'\n"
        "    description = 'the brief as one web page'\n"
        "    draws_text = False\n"
        "    def render(self, doc, theme, *, base_dir):\n"
        "        return ('<h1>' + doc.meta.title + '</h1>').encode()\n",
        encoding="utf-8",
    )
    info = tmp_path / "briefhtml-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: briefhtml\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        f"[{backends.GROUP}]\nhtml = briefhtml:HtmlBackend\npdf = briefhtml:HtmlBackend\n", encoding="utf-8")
    env = {"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"}
    listed = subprocess.run([sys.executable, "-m", "briefexport", "formats"], capture_output=True, text=True,
                            cwd=ROOT, env=env, check=True).stdout
    rows = {line.split()[0]: line for line in listed.splitlines()}
    assert "the brief as one web page" in rows["html"]
    assert rows["pdf"].split()[1] == ".pdf" and "policy brief" in rows["pdf"]  # a built-in name stays built in
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "briefexport", "render", str(ARTICLE), "-f", "html", "-d", str(out), "-q"],
                   cwd=ROOT, env=env, check=True)
    (page,) = out.glob("*.html")
    assert page.read_text(encoding="utf-8").startswith("<h1>Belarus")
