"""`briefexport watch --serve`: a page on this machine that shows the outputs and reloads them.

A standard-library HTTP server on 127.0.0.1 (never another interface), in a
thread beside the watch.  It answers four things and nothing else:

- `/`: the page, with the first PDF in the browser's own viewer and links to
  every output;
- `/state`: JSON with the number of good renders so far and, when the last
  save did not render, its error (the page asks every 300 ms and reloads
  the viewer when the number moves on);
- `/out/NAME`: an output of the last good render, read from disk (outputs
  are written whole, then renamed into place, so a read never sees half);
- `/favicon.ico`: empty.

Names are matched against the outputs the watch wrote, never joined to a
path, so no request reaches another file.  A request whose `Host` is not
this server's loopback address is refused, so a web page elsewhere cannot
read the outputs by pointing a host name at 127.0.0.1 (DNS rebinding).
"""

from __future__ import annotations

import html
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

HOST = "127.0.0.1"
_TYPES = {".pdf": "application/pdf", ".json": "application/json",
          ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
          ".md": "text/markdown; charset=utf-8"}

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} - briefexport watch</title>
<style>
html, body {{ margin: 0; height: 100%; font: 14px system-ui, sans-serif; }}
body {{ display: flex; flex-direction: column; }}
header {{ padding: 6px 12px; background: #1f3a5f; color: #fff; display: flex; gap: 16px; align-items: baseline; }}
header a {{ color: #fff; }}
#state {{ margin-left: auto; }}
#error {{ display: none; padding: 6px 12px; background: #fde2e1; color: #7a1212; white-space: pre-wrap; }}
iframe {{ flex: 1; border: 0; width: 100%; }}
</style></head>
<body>
<header><strong>{title}</strong>{links}<span id="state">render {version}</span></header>
<div id="error"></div>
{viewer}
<script>
let shown = {version};
async function poll() {{
  try {{
    const state = await (await fetch("/state", {{cache: "no-store"}})).json();
    const error = document.getElementById("error");
    error.textContent = state.error ? state.error + "\\n(the outputs shown are the last good ones)" : "";
    error.style.display = state.error ? "block" : "none";
    if (state.version !== shown) {{
      shown = state.version;
      document.getElementById("state").textContent = "render " + shown;
      const viewer = document.getElementById("viewer");
      if (viewer) viewer.src = viewer.dataset.src + "?v=" + shown;
    }}
  }} catch (e) {{ document.getElementById("state").textContent = "watch stopped"; return; }}
  setTimeout(poll, 300);
}}
setTimeout(poll, 300);
</script>
</body></html>
"""


class Preview:
    """The server and what it shows; `update` and `failed` are called by the watch after each render."""

    def __init__(self, title: str, port: int = 0) -> None:
        self.title = title
        self._lock = threading.Lock()
        self._files: dict[str, Path] = {}  # name in the URL -> the output on disk
        self._version = 0
        self._error = ""
        self.server = ThreadingHTTPServer((HOST, port), _handler(self))
        self.server.daemon_threads = True
        self.url = f"http://{HOST}:{self.server.server_address[1]}/"
        self._thread = threading.Thread(target=self.server.serve_forever, name="briefexport-preview", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():  # shutdown() waits for a serve_forever that never started
            self.server.shutdown()
        self.server.server_close()

    def update(self, paths: list[Path], title: str = "") -> None:
        with self._lock:
            self.title = title or self.title
            self._files = {p.name: p for p in paths}
            self._version += 1
            self._error = ""

    def failed(self, message: str) -> None:
        with self._lock:
            self._error = message

    def state(self) -> dict[str, object]:
        with self._lock:
            return {"version": self._version, "error": self._error, "files": list(self._files)}

    def file(self, name: str) -> Path | None:
        with self._lock:
            return self._files.get(name)

    def page(self) -> str:
        with self._lock:
            names, version, title = list(self._files), self._version, self.title
        pdfs = [n for n in names if n.endswith(".pdf")]
        links = "".join(f' <a href="/out/{quote(n)}" target="_blank">{html.escape(n)}</a>' for n in names)
        viewer = (f'<iframe id="viewer" title="{html.escape(pdfs[0])}" data-src="/out/{quote(pdfs[0])}" '
                  f'src="/out/{quote(pdfs[0])}?v={version}"></iframe>' if pdfs
                  else "<p style='padding: 12px'>No PDF among the formats watched: the links above open the outputs.</p>")
        return _PAGE.format(title=html.escape(title), links=links, version=version, viewer=viewer)


def _handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "briefexport-watch"

        def do_GET(self) -> None:  # noqa: N802
            self._answer(body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(body=False)

        def _answer(self, *, body: bool) -> None:
            port = preview.server.server_address[1]
            if self.headers.get("Host", "") not in (f"{HOST}:{port}", f"localhost:{port}"):
                return self._send(403, "text/plain; charset=utf-8", b"only this machine's own address\n", body)
            path = urlsplit(self.path).path
            if path == "/":
                return self._send(200, "text/html; charset=utf-8", preview.page().encode("utf-8"), body)
            if path == "/state":
                return self._send(200, "application/json", json.dumps(preview.state()).encode("utf-8"), body)
            if path == "/favicon.ico":
                return self._send(204, "image/x-icon", b"", body)
            if path.startswith("/out/"):
                found = preview.file(unquote(path[len("/out/"):]))
                if found is not None:
                    try:
                        data = found.read_bytes()
                    except OSError:
                        data = None
                    if data is not None:
                        kind = _TYPES.get(found.suffix.lower(), "application/octet-stream")
                        return self._send(200, kind, data, body)
            return self._send(404, "text/plain; charset=utf-8", b"not found\n", body)

        def _send(self, status: int, kind: str, data: bytes, body: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if body:
                self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # the watch prints one line per render; requests would drown them

    return Handler
