"""`MemberSettings`: what one member deployment is configured with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from subgraphs.common.brand_ids import check_brand

from .identity import DevIdentityProvider, IdentityProvider

IDENTITY_PROVIDERS = {"dev": DevIdentityProvider}


@dataclass(frozen=True)
class MemberSettings:
    # The group's brand apps: sign-in is refused for others (empty: any well-formed brand id),
    # and each brand's content partition takes part in erasure.
    brands: tuple[str, ...] = ()
    identity: str = "dev"  # a name in IDENTITY_PROVIDERS, unless identity_provider is given
    identity_provider: IdentityProvider | None = field(default=None, compare=False)
    access_ttl_seconds: int = 15 * 60
    refresh_ttl: timedelta = timedelta(days=30)
    # Who must report erasure.completed (None: "loyalty", "order", "content:<brand>" each).
    erasure_participants: tuple[str, ...] | None = None
    erasure_retry_after: timedelta = timedelta(minutes=10)  # re-announce when still incomplete
    erasure_retry_every_seconds: float = 60.0  # how often the app looks for such requests

    def __post_init__(self) -> None:
        for brand in self.brands:
            check_brand(brand)
        if self.identity_provider is None and self.identity not in IDENTITY_PROVIDERS:
            raise ValueError(f"unknown identity provider {self.identity!r}")
        if self.access_ttl_seconds <= 0 or self.refresh_ttl <= timedelta(0):
            raise ValueError("token lifetimes must be positive")

    @property
    def known_brands(self) -> tuple[str, ...]:
        return self.brands

    def provider(self) -> IdentityProvider:
        if self.identity_provider is not None:
            return self.identity_provider
        return IDENTITY_PROVIDERS[self.identity]()

    def participants(self) -> tuple[str, ...]:
        if self.erasure_participants is not None:
            return tuple(dict.fromkeys(self.erasure_participants))
        return ("loyalty", "order", *(f"content:{brand}" for brand in self.brands))
