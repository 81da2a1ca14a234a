"""Shannon entropy of a candidate secret: random tokens score high, words and patterns low."""

from __future__ import annotations

import math
from collections import Counter


def shannon_entropy(value: str) -> float:
    """Bits per character of ``value`` (0 for empty or single-symbol strings)."""
    if not value:
        return 0.0
    length = len(value)
    return -sum(count / length * math.log2(count / length) for count in Counter(value).values())
