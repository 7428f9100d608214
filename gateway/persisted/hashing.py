"""The document hashes APQ uses: lowercase hex SHA-256 of the document text (UTF-8)."""

from __future__ import annotations

import hashlib
import re

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def sha256_hex(document: str) -> str:
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


def is_sha256_hex(value: object) -> bool:
    """Apollo clients send lowercase hex; anything else cannot name a stored document."""
    return isinstance(value, str) and _SHA256_HEX.fullmatch(value) is not None
