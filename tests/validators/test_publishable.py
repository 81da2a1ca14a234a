"""Public-by-design client keys are not reported by the generic rules."""

from __future__ import annotations

import pytest

from leakguard.validators import FILTERS
from tests.corpus.recall.gen import ALNUM, rand


@pytest.mark.parametrize(("value", "public"), [
    pytest.param("pk_live_" + rand(ALNUM, 24, "pk"), True, id="stripe-publishable"),
    pytest.param("pk.eyJ1IjoiZmFrZSJ9." + rand(ALNUM, 22, "mb"), True, id="mapbox-public"),
    pytest.param("phc_" + rand(ALNUM, 43, "ph"), True, id="posthog-project"),
    pytest.param("sk_live_" + rand(ALNUM, 24, "sk"), False, id="stripe-secret"),
    pytest.param("sk.eyJ1IjoiZmFrZSJ9." + rand(ALNUM, 22, "mbs"), False, id="mapbox-secret"),
    pytest.param(rand(ALNUM, 32, "random"), False, id="random-token"),
])
def test_publishable_filter(value: str, public: bool) -> None:
    assert FILTERS["publishable"](value) is public
