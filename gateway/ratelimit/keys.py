"""The client keys of a request: who is counted against which limit.

- member: the verified token's `sub` when its `kind` is "member";
- brand: the verified token's `brand` claim (the brand app it was issued through). Never the
  X-Brand header: anyone may send that, and anonymous clients could spend a brand's whole
  allowance; they are counted by IP;
- ip: the ASGI scope's client address; X-Forwarded-For only when the deployment says its
  proxies set it (`trust_forwarded_for`), and then the right-most hop that is not one of
  ours (private, loopback, link-local addresses are taken for our proxies), since everything
  left of it may be made up by the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

BRAND_HEADER = "x-brand"
FORWARDED_FOR = "x-forwarded-for"


@dataclass(frozen=True, slots=True)
class ClientKeys:
    member: str | None = None
    brand: str | None = None
    ip: str | None = None


def client_keys(
    claims: Mapping[str, Any] | None,
    headers: Mapping[str, str] | None,
    peer: str | None,
    *,
    trust_forwarded_for: bool = False,
) -> ClientKeys:
    member = None
    brand = None
    if claims:
        if claims.get("kind") == "member" and claims.get("sub"):
            member = str(claims["sub"])
        if claims.get("brand"):
            brand = str(claims["brand"])
    return ClientKeys(member, brand, client_ip(peer, headers, trust_forwarded_for))


def client_ip(
    peer: str | None, headers: Mapping[str, str] | None, trust_forwarded_for: bool = False
) -> str | None:
    """The client's address: the peer, or with `trust_forwarded_for` the right-most
    X-Forwarded-For hop that is not a proxy of ours (all ours: the left-most)."""
    if not trust_forwarded_for:
        return peer
    forwarded = _header(headers, FORWARDED_FOR)
    if not forwarded:
        return peer
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return hop  # not an address: whatever it is, it came from outside
        if not (address.is_private or address.is_loopback or address.is_link_local):
            return str(address)
    return str(_address(hops[0]) or hops[0]) if hops else peer


def _address(hop: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = hop
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    return value
