"""Every format's output is byte-identical to the recorded goldens.

This is what lets a refactoring prove it changed no behaviour; see
`tests/goldens.py` for how the goldens are made and when to remake them.
"""

from __future__ import annotations

import json

import pytest

from goldens import GOLDEN, digests, hermetic_env, library_versions


@pytest.fixture(scope="module")
def recorded() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_outputs_match_the_goldens(recorded: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    installed = library_versions()
    differ = {k: (v, installed.get(k)) for k, v in recorded["libraries"].items() if installed.get(k) != v}
    if differ:
        # Another library version draws other bytes; constraints.txt pins the recorded ones.
        pytest.skip(f"goldens were recorded with other library versions (recorded, installed): {differ}")
    for key, value in hermetic_env().items():
        monkeypatch.setenv(key, value)
    found = digests()
    assert sorted(found) == sorted(recorded["outputs"]), "the golden cases changed: run `make golden`"
    changed = [case for case, digest in found.items() if recorded["outputs"][case] != digest]
    assert not changed, f"outputs changed (run `make golden` only if the change is meant): {changed}"
