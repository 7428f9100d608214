"""Per-client rate limiting (by member, brand app and IP), in memory or shared through Redis."""

from gateway.ratelimit.keys import ClientKeys, client_ip, client_keys
from gateway.ratelimit.limiter import (
    RATE_LIMITED,
    Hit,
    MemoryLimiter,
    RateLimiter,
    RedisLimiter,
    Rejection,
)

__all__ = [
    "RATE_LIMITED",
    "ClientKeys",
    "Hit",
    "MemoryLimiter",
    "RateLimiter",
    "RedisLimiter",
    "Rejection",
    "client_ip",
    "client_keys",
]
