"""Typed settings for gateway/config.py: a section is a frozen dataclass whose fields are made
with `setting(...)`; their annotations give the type a TOML value (or an environment variable's
text) must have, and `check` the rule it must follow. One function validates values from
every origin, so a setting from the environment is checked exactly like one from the file.
"""

from __future__ import annotations

import dataclasses
import math
import re
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any

from gateway.config_checks import toml_type, url_problem

Check = Callable[[Any], str | None]  # a value -> why it is bad, or None
_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")
_HEADER = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an HTTP token (RFC 9110)


class SettingError(ValueError):
    """A value that does not fit its setting; the message says why (without the key)."""


def setting(default: Any, doc: str, *, check: Check | None = None, secret: bool = False) -> Any:
    """A settings-dataclass field: its default, one line of documentation, an optional rule,
    and whether its value is masked when printed (tokens, passwords)."""
    meta = {"doc": doc, "check": check, "secret": secret}
    return dataclasses.field(default=default, metadata=meta)


@dataclasses.dataclass(frozen=True)
class Spec:
    """What one key accepts: `kind` is bool, int, float, str or tuple (of strings)."""

    name: str
    kind: type
    optional: bool
    default: Any
    doc: str
    check: Check | None
    secret: bool

    @property
    def type_name(self) -> str:
        names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
        name = names.get(self.kind, "an array of strings")
        return name + (" (or unset)" if self.optional else "")


@cache
def specs(section: type) -> dict[str, Spec]:
    """key -> Spec for a settings dataclass, in declaration order."""
    hints = typing.get_type_hints(section)
    out: dict[str, Spec] = {}
    for item in dataclasses.fields(section):
        kind, optional = _kind(hints[item.name])
        meta = item.metadata
        out[item.name] = Spec(
            item.name,
            kind,
            optional,
            item.default,
            meta.get("doc", ""),
            meta.get("check"),
            bool(meta.get("secret")),
        )
    return out


def _kind(annotation: Any) -> tuple[type, bool]:
    args = typing.get_args(annotation)
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        (inner,) = [a for a in args if a is not type(None)]
        return _kind(inner)[0], True
    if typing.get_origin(annotation) is tuple:
        return tuple, False
    if annotation in (bool, int, float, str):
        return annotation, False
    raise TypeError(f"unsupported setting type {annotation!r}")


def coerce(spec: Spec, value: Any) -> Any:
    """A TOML (or command-line) value as the setting's type; SettingError when it does not fit."""
    kind = spec.kind
    if kind is bool:
        ok = isinstance(value, bool)
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok and not math.isfinite(value):
            raise SettingError(f"must be a finite number, got {value!r}")
        value = float(value) if ok else value
    elif kind is str:
        ok = isinstance(value, str)
    else:
        ok = isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
        value = tuple(value) if ok else value
    if not ok:
        shown = "a value" if spec.secret else toml_type(value)
        raise SettingError(f"must be {spec.type_name}, got {shown}")
    problem = spec.check(value) if spec.check else None
    if problem:
        raise SettingError(problem)
    return value


def from_text(spec: Spec, text: str) -> Any:
    """An environment variable's text as the setting's type, then checked like a TOML value.
    Arrays are comma-separated; an empty text unsets an optional setting."""
    raw = text.strip()
    if spec.optional and raw == "":
        return None
    kind = spec.kind
    value: Any = raw
    if kind is bool:
        if raw.lower() not in (*_TRUE, *_FALSE):
            raise SettingError(f"must be true or false, got {_shown(spec, text)}")
        value = raw.lower() in _TRUE
    elif kind in (int, float):
        try:
            value = kind(raw)
        except ValueError:
            word = "an integer" if kind is int else "a number"
            raise SettingError(f"must be {word}, got {_shown(spec, text)}") from None
    elif kind is tuple:
        value = tuple(part.strip() for part in raw.split(",") if part.strip())
    return coerce(spec, value)


def _shown(spec: Spec, text: str) -> str:
    return "a value" if spec.secret else repr(text)


# -- rules, for `setting(check=...)` ----------------------------------------------------------


def between(low: float, high: float | None = None) -> Check:
    def check(value: float) -> str | None:
        if value < low or (high is not None and value > high):
            upper = f" to {high:g}" if high is not None else " or more"
            return f"must be {low:g}{upper}, got {value!r}"
        return None

    return check


def above(low: float) -> Check:
    def check(value: float) -> str | None:
        return None if value > low else f"must be greater than {low:g}, got {value!r}"

    return check


def one_of(*choices: str) -> Check:
    def check(value: str) -> str | None:
        if value in choices:
            return None
        return f"must be one of {', '.join(map(repr, choices))}, got {value!r}"

    return check


def non_empty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


def header_names(values: tuple[str, ...]) -> str | None:
    for value in values:
        if not _HEADER.fullmatch(value):
            return f"{value!r} is not an HTTP header name"
    return None


def import_spec(value: str) -> str | None:
    module, sep, function = value.partition(":")
    if not sep or not module.strip() or not function.strip():
        return f"wants MODULE:FUNCTION, got {value!r}"
    return None


def http_url(value: str) -> str | None:
    return url_problem(value)
