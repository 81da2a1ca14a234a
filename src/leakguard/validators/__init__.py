"""Named validators and false-positive filters; importing this package registers all of them."""

from leakguard.validators import checksums, identity, placeholders, structure, tokens  # noqa: F401
from leakguard.validators.registry import FILTERS, VALIDATORS

__all__ = ["FILTERS", "VALIDATORS"]
