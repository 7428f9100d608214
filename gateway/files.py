"""When a watched file changed: one signature for every watcher (config, supergraph, dev)."""

from __future__ import annotations

import os
from pathlib import Path

Signature = tuple[int, int, int]


def signature_of(stat: os.stat_result) -> Signature:
    """mtime, size and inode: an edit in place or an atomic rename both change it."""
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def file_signature(path: str | Path) -> Signature | None:
    """The file's signature, or None when it cannot be read (missing, no permission)."""
    try:
        return signature_of(os.stat(path))
    except OSError:
        return None
