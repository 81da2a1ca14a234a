"""Named validators and false-positive filters; importing this package registers all of them."""

import leakguard.validators.cloud  # noqa: F401  (cloud, key and credential-file validators)
from leakguard.validators import checksums, identity, placeholders, structure  # noqa: F401
from leakguard.validators.registry import FILTERS, VALIDATORS

__all__ = ["FILTERS", "VALIDATORS"]
