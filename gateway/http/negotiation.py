"""Content negotiation: which response media type a client accepts, and request body types."""

from __future__ import annotations

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"

# Specificity of the Accept range that matched: an exact type beats application/* beats */*.
_EXACT, _SUBTYPE_WILDCARD, _ANY = 2, 1, 0


def choose_response_type(accept: str | None) -> str | None:
    """The response media type for an Accept header, or None when neither is acceptable (406).

    A missing or blank header means application/json (legacy clients send none). Otherwise
    the type with the higher q wins; application/graphql-response+json wins ties only when the
    client named it, so `*/*` and `application/*` keep getting the legacy application/json.
    """
    if accept is None or not accept.strip():
        return APPLICATION_JSON
    ranges = _parse_accept(accept)
    graphql_q, graphql_specificity = _quality(GRAPHQL_RESPONSE_JSON, ranges)
    json_q, _ = _quality(APPLICATION_JSON, ranges)
    if graphql_q <= 0 and json_q <= 0:
        return None
    if graphql_q > json_q or (graphql_q == json_q and graphql_specificity == _EXACT):
        return GRAPHQL_RESPONSE_JSON
    return APPLICATION_JSON


def is_json_content_type(content_type: str | None) -> bool:
    """True for `application/json` in UTF-8 (the charset may be omitted: UTF-8 is assumed)."""
    if not content_type:
        return False
    media_type, params = _split_media_type(content_type)
    if media_type != APPLICATION_JSON:
        return False
    charset = params.get("charset", "utf-8").strip('"').lower()
    return charset in ("utf-8", "utf8")


def _parse_accept(accept: str) -> list[tuple[str, float]]:
    ranges: list[tuple[str, float]] = []
    for item in accept.split(","):
        media_range, params = _split_media_type(item)
        if not media_range:
            continue
        try:
            q = float(params.get("q", "1"))
        except ValueError:
            continue  # RFC 9110: a range with a malformed weight is ignored
        ranges.append((media_range, min(max(q, 0.0), 1.0)))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> tuple[float, int]:
    """q of the most specific range matching `media_type` (RFC 9110 precedence), and that
    specificity; (0.0, -1) when no range matches."""
    main_type = media_type.split("/", 1)[0]
    best_specificity, best_q = -1, 0.0
    for media_range, q in ranges:
        if media_range == media_type:
            specificity = _EXACT
        elif media_range == f"{main_type}/*":
            specificity = _SUBTYPE_WILDCARD
        elif media_range == "*/*":
            specificity = _ANY
        else:
            continue
        if specificity > best_specificity:
            best_specificity, best_q = specificity, q
    return best_q, best_specificity


def _split_media_type(value: str) -> tuple[str, dict[str, str]]:
    media_type, *raw_params = value.split(";")
    params: dict[str, str] = {}
    for raw in raw_params:
        name, sep, param_value = raw.partition("=")
        if sep:
            params[name.strip().lower()] = param_value.strip()
    return media_type.strip().lower(), params


def prefers_html(accept: str | None) -> bool:
    """True when a browser asks: text/html named, and weighted above both JSON types."""
    if not accept:
        return False
    ranges = _parse_accept(accept)
    html_q, specificity = _quality("text/html", ranges)
    if html_q <= 0 or specificity != _EXACT:
        return False
    return html_q > max(
        _quality(GRAPHQL_RESPONSE_JSON, ranges)[0], _quality(APPLICATION_JSON, ranges)[0]
    )
