"""Named validators and false-positive filters; importing this package registers all of them."""

from leakguard.validators import (  # noqa: F401
    checksums,
    cloud,
    contact,
    identity,
    network,
    placeholders,
    structure,
    tokens,
)
from leakguard.validators.registry import FILTERS, VALIDATORS

__all__ = ["FILTERS", "VALIDATORS"]
