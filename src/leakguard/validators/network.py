"""Validators for network locations: private address ranges and internal host names.

Infrastructure rules match address- and host-shaped text; these checks keep only what points
inside an organisation (RFC 1918, carrier-grade NAT, IPv6 unique-local, internal DNS suffixes),
so a public address or a documentation range is never reported as internal infrastructure.
"""

from __future__ import annotations

import ipaddress

from leakguard.validators.registry import validator

#: Address ranges that only route inside an organisation.
PRIVATE_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",  # RFC 1918
    "100.64.0.0/10",                                  # RFC 6598 carrier-grade NAT
    "fd00::/8",                                       # RFC 4193 unique local (locally assigned)
))

#: DNS suffixes reserved or conventionally used for names that resolve only internally.
INTERNAL_SUFFIXES = (
    ".internal", ".corp", ".local", ".lan", ".intranet", ".private", ".intra", ".home.arpa",
    ".localdomain",
)

#: The whole blocks and their gateway addresses, as every tutorial and router manual prints them.
TEXTBOOK_ADDRESSES = frozenset({
    "10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.255", "172.16.0.0", "172.16.0.1",
    "192.168.0.0", "192.168.0.1", "192.168.1.0", "192.168.1.1", "192.168.0.255",
    "192.168.1.255", "100.64.0.0", "100.64.0.1",
})


def parse_address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address from ``10.1.2.3``, ``10.1.2.3/24`` or ``[fd12::1]:443``-style text, or None."""
    text = value.strip().strip("[]")
    host = text.split("/", 1)[0]
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_private(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in PRIVATE_NETWORKS
               if network.version == address.version)


@validator("private_address")
def private_address(value: str) -> bool:
    """RFC 1918, CGNAT 100.64/10 or fd00::/8, excluding the blocks' textbook addresses."""
    address = parse_address(value)
    if address is None or not is_private(address):
        return False
    return str(address) not in TEXTBOOK_ADDRESSES


def has_internal_suffix(host: str) -> bool:
    lowered = host.lower().rstrip(".")
    return any(lowered.endswith(suffix) for suffix in INTERNAL_SUFFIXES) \
        and lowered not in ("localhost.localdomain",)


@validator("internal_host")
def internal_host(value: str) -> bool:
    """A private address, or a host name under one of the internal suffixes above."""
    address = parse_address(value)
    if address is not None:
        return is_private(address)
    return has_internal_suffix(value)
