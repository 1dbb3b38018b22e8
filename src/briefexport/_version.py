"""The version, in a module of its own so that any layer may import it.

Written here, not read from the installed metadata: `importlib.metadata`
costs about 17 ms of every process, more than `--version` itself.
`pyproject.toml` takes the package's version from this line, so the two
cannot disagree (`tests/test_version.py` checks the installed metadata).
"""

__version__ = "0.1.0"
