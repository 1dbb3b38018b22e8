"""The exception family.  The CLI turns any `BriefExportError` into one line."""

from __future__ import annotations


class BriefExportError(Exception):
    """A user-facing error: `path:line: message` when the place is known."""

    def __init__(self, message: str, path: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path else ""
        self.line = line

    def __str__(self) -> str:
        where = self.path
        if where and self.line:
            where = f"{where}:{self.line}"
        # One line, whatever a library put in the message: the CLI promises it.
        message = " ".join(self.message.splitlines())
        return f"{where}: {message}" if where else message


class ParseError(BriefExportError):
    """The source (Markdown or its front matter) cannot be read."""


class ThemeError(BriefExportError):
    """A theme file is invalid; `message` names the key path."""


class RenderError(BriefExportError):
    """A backend cannot render the document (missing image, refused path...)."""


class UnknownFormatError(BriefExportError):
    """No backend is registered under the requested name."""


class UnsupportedNode(RenderError):
    """A backend met a node type it does not handle: a bug, never silent."""


class BriefExportWarning(UserWarning):
    """Something the user should know that does not stop the render.

    Raised through `warnings.warn`, so library users can filter it and the
    CLI prints each one as a line on stderr.
    """


class MissingTitleWarning(BriefExportWarning):
    """No `title:` and no level-1 heading: the file name stands in (an error under --strict)."""


def internal_error(exc: BaseException) -> str:
    """One line for an exception that is a bug of ours, naming where it was raised."""
    import traceback
    from pathlib import Path

    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "briefexport" in f.filename.replace("\\", "/")] or frames
    where = f" at {Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else ""
    text = " ".join(str(exc).split())[:200]
    return f"internal error ({type(exc).__name__}{where}{': ' + text if text else ''}); please report it"
