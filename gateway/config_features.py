"""The config sections of the gateway's features, and what each builds.

    [auth]               # access tokens: verified on every request (gateway/auth/)
    enabled = true
    audience = "brand-matrix"
    issuer = "brand-matrix"
    public_keys = ["kid1=keys/kid1.pem"]   # RS256/ES256/EdDSA public keys by kid
    jwks_url = "https://idp.example.com/.well-known/jwks.json"
    hs256 = true         # also the shared secret(s): BRAND_MATRIX_JWT_SECRET / _KEYS (beside
                         # public keys or a JWKS only when set: never the development secret)

    [persisted_queries]  # APQ and the safelist (gateway/persisted/)
    enabled = true
    redis_url = "redis://127.0.0.1:6379/0"  # unset: in memory (per process)
    safelist = "schema/operations"          # only these operations run
    require_hash = false

    [rate_limits]        # requests per window by member, brand app, IP (gateway/ratelimit/)
    enabled = true
    per_member = 600
    redis_url = "redis://127.0.0.1:6379/0"  # shared by the replicas; unset: per process

    [telemetry]          # /metrics, OTLP traces, JSON logs (gateway/observability/)
    metrics = true
    otlp_endpoint = "http://otel-collector:4318"
    json_logs = true

Like every section, each key has an environment variable (`BRAND_MATRIX_AUTH_JWKS_URL`, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gateway.config_fields import above, between, http_url, non_empty, setting


def _kid_paths(values: tuple[str, ...]) -> str | None:
    for value in values:
        kid, sep, path = value.partition("=")
        if not sep or not kid.strip() or not path.strip():
            return f"{value!r} must read 'KID=PATH'"
    return None


def _redis_url(value: str) -> str | None:
    if not value.startswith(("redis://", "rediss://", "unix://")):
        return "must be a redis://, rediss:// or unix:// URL"
    return None


def _optional_url(value: str) -> str | None:
    return http_url(value) if value else None


@dataclass(frozen=True)
class AuthSettings:
    enabled: bool = setting(True, "verify Authorization: Bearer tokens; enforce @authenticated")
    audience: str = setting("brand-matrix", "required `aud` of tokens", check=non_empty)
    issuer: str | None = setting("brand-matrix", "required `iss` of tokens (unset: any)")
    hs256: bool = setting(True, "accept the shared HS256 secret(s) of BRAND_MATRIX_JWT_*")
    public_keys: tuple[str, ...] = setting(
        (), "KID=PEM_FILE public keys (RS256, ES256, EdDSA)", check=_kid_paths
    )
    jwks_url: str | None = setting(None, "JWKS URL (keys by kid, refreshed)", check=http_url)
    jwks_max_age: float = setting(300.0, "seconds JWKS keys are reused", check=above(0))
    leeway: float = setting(5.0, "seconds of clock skew tolerated", check=between(0, 300))


@dataclass(frozen=True)
class PersistedQuerySettings:
    enabled: bool = setting(False, "Apollo APQ (extensions.persistedQuery)")
    redis_url: str | None = setting(
        None, "share the store through Redis (unset: memory)", check=_redis_url, secret=True
    )
    max_entries: int = setting(10_000, "documents kept in memory", check=above(0))
    ttl_seconds: int = setting(
        7 * 24 * 3600, "Redis entry lifetime, renewed on use", check=above(0)
    )
    safelist: str | None = setting(
        None, "directory of registered operations (<front-end>/*.graphql): only they run"
    )
    front_ends: tuple[str, ...] = setting((), "only these front-ends' operations (default all)")
    require_hash: bool = setting(False, "with a safelist: refuse operations sent as text")


@dataclass(frozen=True)
class RateLimitSettings:
    # Defaults: about what one person's busiest use needs (a page makes a handful of
    # operations; 600/min is 10/s sustained), a brand app's whole traffic (many members),
    # and an IP that may be a NAT or office shared by many anonymous visitors.
    enabled: bool = setting(False, "limit requests per window by member, brand and IP")
    per_member: int = setting(
        600, "requests per window per member (token sub); 0 off", check=between(0)
    )
    per_brand: int = setting(20_000, "requests per window per brand app; 0 off", check=between(0))
    per_ip: int = setting(
        1200, "requests per window per IP (callers without a member token); 0 off",
        check=between(0),
    )  # fmt: skip
    window_seconds: int = setting(60, "the window, seconds", check=between(1, 86_400))
    redis_url: str | None = setting(
        None, "share the counters through Redis (unset: memory)", check=_redis_url, secret=True
    )
    trust_forwarded_for: bool = setting(
        False, "client IP from X-Forwarded-For (only behind a proxy that sets it)"
    )
    max_keys: int = setting(
        100_000, "clients counted in memory (least recent forgotten)", check=above(0)
    )


@dataclass(frozen=True)
class TelemetrySettings:
    metrics: bool = setting(True, "Prometheus metrics at metrics_path")
    metrics_path: str = setting("/metrics", "where the metrics are served", check=non_empty)
    otlp_endpoint: str | None = setting(
        None, "OTLP/HTTP endpoint for traces (unset: OTEL_EXPORTER_OTLP_ENDPOINT)",
        check=_optional_url,
    )  # fmt: skip
    service_name: str = setting("brand-matrix-gateway", "service.name of spans", check=non_empty)
    json_logs: bool = setting(True, "structured JSON log lines with the request id")
    access_log: bool = setting(True, "one log line per request")


def build_auth(settings: AuthSettings, base: Path | None) -> Any:
    """The GatewayAuth for `[auth]` (None when disabled)."""
    if not settings.enabled:
        return None
    from gateway.auth import GatewayAuth, JwksKeys, TokenVerifier, hs256_keys, pem_file_keys
    from tokenkeys.env import hs256_secrets

    sources: list[Any] = []
    # Beside public keys or a JWKS, only explicitly configured secrets (the subgraphs' rule).
    secrets = hs256_secrets(beside_keys=bool(settings.public_keys or settings.jwks_url))
    if settings.hs256 and secrets:
        sources.append(hs256_keys(secrets))
    if settings.public_keys:
        paths = {}
        for item in settings.public_keys:
            kid, _, path = item.partition("=")
            paths[kid.strip()] = _relative(base, path.strip())
        try:
            sources.append(pem_file_keys(paths))
        except ValueError as error:  # the file's own problem, named with the setting
            raise ValueError(f"[auth] public_keys: {error}") from None
    if settings.jwks_url:
        sources.append(JwksKeys(settings.jwks_url, max_age=settings.jwks_max_age))
    verifier = TokenVerifier(
        sources, audience=settings.audience, issuer=settings.issuer, leeway=settings.leeway
    )
    return GatewayAuth(verifier)


def build_persisted_queries(settings: PersistedQuerySettings, base: Path | None) -> Any:
    """The PersistedQueries for `[persisted_queries]` (None when off and no safelist)."""
    if not settings.enabled and not settings.safelist:
        return None
    from gateway.persisted import MemoryStore, PersistedQueries, RedisStore, load_safelist

    store: Any = None
    if settings.enabled:
        store = (
            RedisStore.from_url(settings.redis_url, ttl_seconds=settings.ttl_seconds)
            if settings.redis_url
            else MemoryStore(settings.max_entries)
        )
    safelist = None
    if settings.safelist:
        safelist = load_safelist(_relative(base, settings.safelist), settings.front_ends or None)
    return PersistedQueries(store, safelist=safelist, require_hash=settings.require_hash)


def build_rate_limiter(settings: RateLimitSettings) -> Any:
    """The RateLimiter for `[rate_limits]` (None when disabled)."""
    if not settings.enabled:
        return None
    from gateway.ratelimit import MemoryLimiter, RateLimiter, RedisLimiter

    window = settings.window_seconds
    counter: Any = (
        RedisLimiter.from_url(settings.redis_url, window)
        if settings.redis_url
        else MemoryLimiter(window, max_keys=settings.max_keys)
    )
    return RateLimiter(
        counter,
        per_member=settings.per_member,
        per_brand=settings.per_brand,
        per_ip=settings.per_ip,
        trust_forwarded_for=settings.trust_forwarded_for,
    )


def observability_options(settings: TelemetrySettings, log_level: str) -> Any:
    from gateway.observability import ObservabilityOptions

    return ObservabilityOptions(
        metrics=settings.metrics,
        metrics_path=settings.metrics_path,
        otlp_endpoint=settings.otlp_endpoint,
        service_name=settings.service_name,
        json_logs=settings.json_logs,
        access_log=settings.access_log,
        log_level=log_level,
    )


def _relative(base: Path | None, path: str) -> str:
    """Paths in the config file are relative to it."""
    candidate = Path(path)
    if base is None or candidate.is_absolute():
        return str(candidate)
    return str(base / candidate)
