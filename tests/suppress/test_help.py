"""Every suppression command explains itself with an example."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("command", [
    ("ignore",), ("baseline",), ("baseline", "create"), ("baseline", "update"),
    ("baseline", "label"), ("baseline", "list"), ("baseline", "merge"),
], ids=" ".join)
def test_help_has_an_example(cli, command: tuple[str, ...]) -> None:
    result = cli(*command, "--help")
    assert result.code == 0
    assert "Example: leakguard " in " ".join(result.stdout.split())
