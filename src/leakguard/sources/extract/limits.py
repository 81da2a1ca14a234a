"""Bounded reads: every decompressed byte is counted against the member and input limits.

Declared sizes in archive headers are attacker-controlled, so they only allow an early refusal;
the real check happens while streaming, block by block, so a zip bomb costs at most one block
past the limit before it is stopped.
"""

from __future__ import annotations

from typing import IO

from leakguard.model import SkipReason
from leakguard.sources.extract.base import ExtractError, LimitReached, Walk

BLOCK = 64 * 1024


def check_declared(walk: Walk, declared: int, limit: int) -> None:
    """Refuse early when a header already declares more than the limits allow."""
    if declared > limit:
        raise ExtractError(SkipReason.TOO_LARGE, f"{declared} bytes uncompressed "
                                                 f"(limit {limit})")
    if declared > walk.budget.bytes_left:
        raise LimitReached(f"total uncompressed size limit of {walk.options.max_total_bytes} "
                           "bytes reached")


def read_bounded(stream: IO[bytes], walk: Walk, *, limit: int,
                 compressed_size: int | None = None, counted: bool = True) -> bytes:
    """Read ``stream`` to its end, raising ``ExtractError`` the moment a limit is passed.

    ``limit`` caps this one member; the input's shared budget caps the sum over all members;
    ``compressed_size`` (when known) enables the compression-ratio check. ``counted=False``
    is for bytes already in memory and already counted (a tar's members).
    """
    options = walk.options
    out = bytearray()
    while True:
        block = stream.read(BLOCK)
        if not block:
            break
        out += block
        size = len(out)
        if size > limit:
            raise ExtractError(SkipReason.TOO_LARGE, f"more than {limit} bytes uncompressed")
        if counted and size > walk.budget.bytes_left:
            raise LimitReached(f"total uncompressed size limit of {options.max_total_bytes} "
                               "bytes reached")
        if (compressed_size is not None and size > options.ratio_floor
                and size > options.max_ratio * max(compressed_size, 1)):
            raise ExtractError(SkipReason.LIMIT, f"compression ratio above {options.max_ratio}:1 "
                                                 "(a zip bomb?)")
    if counted:
        walk.budget.bytes_left -= len(out)
    return bytes(out)
