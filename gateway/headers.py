"""Which client request headers reach which subgraphs: forwarding rules.

Rules run in order, first the ones for all subgraphs, then a subgraph's own, each changing the
set of headers that subgraph gets:

- `Propagate(named=...)`: a client header by name, optionally `rename`d, or a `default`
  value when the client sent none; `Propagate(matching=REGEX)` / `Propagate(prefix=...)`:
  every client header whose name matches (case-insensitive);
- `Insert(name, value)`: a fixed value;
- `Remove(named=... | matching=... | prefix=...)`: drop headers an earlier rule added.

Nothing is forwarded unless a rule says so, and headers that describe the client's own
connection or body (Host, Content-Length, ...) never are: the gateway sets those itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# The gateway's own request to a subgraph decides these; copying the client's would break it.
RESERVED = frozenset(
    {
        "accept",
        "accept-encoding",
        "connection",
        "content-encoding",
        "content-length",
        "content-type",
        "expect",
        "host",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+")  # RFC 9110 field-name, lower-cased
_BAD_VALUE = re.compile(r"[\r\n\x00]")


class HeaderRuleError(ValueError):
    """A rule that cannot work; the message says which and why."""


@dataclass(frozen=True, slots=True)
class _Selector:
    named: str | None = None
    matching: str | None = None  # a regular expression the whole name must match
    prefix: str | None = None

    def _check_selector(self, rule: str) -> None:
        given = [k for k in ("named", "matching", "prefix") if getattr(self, k) is not None]
        if len(given) != 1:
            raise HeaderRuleError(f"{rule} needs exactly one of named, matching, prefix")
        if self.named is not None:
            _check_name(self.named, rule)
        if self.matching is not None:
            try:
                re.compile(self.matching)
            except re.error as error:
                raise HeaderRuleError(f"{rule}: bad regular expression: {error}") from None

    def _matcher(self) -> tuple[str | None, re.Pattern[str] | None, str | None]:
        pattern = re.compile(self.matching, re.IGNORECASE) if self.matching else None
        return (
            self.named.lower() if self.named else None,
            pattern,
            self.prefix.lower() if self.prefix else None,
        )


@dataclass(frozen=True, slots=True)
class Propagate(_Selector):
    rename: str | None = None  # only with `named`
    default: str | None = None  # only with `named`: sent when the client sent none

    def __post_init__(self) -> None:
        self._check_selector("propagate")
        if (self.rename is not None or self.default is not None) and self.named is None:
            raise HeaderRuleError("propagate: rename and default work with named only")
        if self.rename is not None:
            _check_name(self.rename, "propagate.rename")
        if self.default is not None:
            _check_value(self.default, "propagate.default")


@dataclass(frozen=True, slots=True)
class Insert:
    name: str
    value: str

    def __post_init__(self) -> None:
        _check_name(self.name, "insert")
        _check_value(self.value, "insert")


@dataclass(frozen=True, slots=True)
class Remove(_Selector):
    def __post_init__(self) -> None:
        self._check_selector("remove")


HeaderRule = Propagate | Insert | Remove


class HeaderRules:
    """`all_subgraphs`: rules for every subgraph; `subgraphs`: name -> its own rules."""

    def __init__(
        self,
        all_subgraphs: Sequence[HeaderRule] = (),
        subgraphs: Mapping[str, Sequence[HeaderRule]] | None = None,
    ) -> None:
        self.all_subgraphs: tuple[HeaderRule, ...] = tuple(all_subgraphs)
        self.subgraphs: dict[str, tuple[HeaderRule, ...]] = {
            name: tuple(rules) for name, rules in (subgraphs or {}).items() if rules
        }
        self._all = _compile(self.all_subgraphs)
        self._by_subgraph = {name: _compile(rules) for name, rules in self.subgraphs.items()}
        # The common case (names only, the same for every subgraph) skips the rule loop.
        self._names_only = not self._by_subgraph and all(
            isinstance(r, Propagate) and r.named and not r.rename and r.default is None
            for r in self.all_subgraphs
        )
        self._names = tuple(
            r.named.lower() for r in self.all_subgraphs if isinstance(r, Propagate) and r.named
        )

    @classmethod
    def forward(cls, names: Iterable[str]) -> HeaderRules:
        """The old `forward_headers`: these client headers, as they are, to every subgraph."""
        return cls([Propagate(named=name) for name in names])

    def before(self, first: HeaderRules) -> HeaderRules:
        """`first`'s rules, then these."""
        subgraphs = {
            name: (*first.subgraphs.get(name, ()), *self.subgraphs.get(name, ()))
            for name in {*first.subgraphs, *self.subgraphs}
        }
        return HeaderRules((*first.all_subgraphs, *self.all_subgraphs), subgraphs)

    def check_subgraphs(self, known: Iterable[str]) -> None:
        unknown = sorted(set(self.subgraphs) - set(known))
        if unknown:
            raise HeaderRuleError(f"header rules for unknown subgraph(s): {', '.join(unknown)}")

    def apply(self, headers: Mapping[str, str] | None) -> dict[str, str]:
        """The headers to send: a SubgraphHeaders when some subgraph has rules of its own."""
        if self._names_only and (not headers or not self._names):
            return {}
        client = {name.lower(): value for name, value in headers.items()} if headers else {}
        if self._names_only:
            return {n: client[n] for n in self._names if n in client}
        base = _run(self._all, client, {})
        if not self._by_subgraph:
            return base
        forwarded = SubgraphHeaders(base)
        for name, rules in self._by_subgraph.items():
            forwarded.by_subgraph[name] = _run(rules, client, dict(base))
        return forwarded

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> HeaderRules:
        """From a config table: `{"all": [RULE, ...], "subgraphs": {NAME: [RULE, ...]}}`, a
        RULE being `{"propagate": {...}}`, `{"insert": {...}}` or `{"remove": {...}}` with
        the fields of Propagate, Insert, Remove. Raises HeaderRuleError naming the bad entry."""
        _check_keys(config, {"all", "subgraphs"}, "headers")
        subgraphs = config.get("subgraphs") or {}
        if not isinstance(subgraphs, Mapping):
            raise HeaderRuleError("headers.subgraphs must be a table of subgraph names")
        return cls(
            _rules_from_config(config.get("all") or [], "headers.all"),
            {
                str(name): _rules_from_config(rules, f"headers.subgraphs.{name}")
                for name, rules in subgraphs.items()
            },
        )


class SubgraphHeaders(dict[str, str]):
    """The headers of the subgraphs without rules of their own (the dict itself), and those
    of each subgraph with (`by_subgraph`); the executor picks per fetch (`headers_for`)."""

    __slots__ = ("by_subgraph",)

    def __init__(self, base: Mapping[str, str]) -> None:
        super().__init__(base)
        self.by_subgraph: dict[str, dict[str, str]] = {}


def headers_for(headers: Mapping[str, str], subgraph: str) -> Mapping[str, str]:
    if isinstance(headers, SubgraphHeaders):
        return headers.by_subgraph.get(subgraph, headers)
    return headers


# -- running rules -------------------------------------------------------------------------

_Compiled = tuple[str, Any, tuple[str | None, re.Pattern[str] | None, str | None]]


def _compile(rules: Sequence[HeaderRule]) -> tuple[_Compiled, ...]:
    compiled: list[_Compiled] = []
    for rule in rules:
        if isinstance(rule, Insert):
            compiled.append(("insert", rule, (rule.name.lower(), None, None)))
        elif isinstance(rule, Propagate):
            compiled.append(("propagate", rule, rule._matcher()))
        elif isinstance(rule, Remove):
            compiled.append(("remove", rule, rule._matcher()))
        else:
            raise HeaderRuleError(f"not a header rule: {rule!r}")
    return tuple(compiled)


def _run(
    rules: tuple[_Compiled, ...], client: Mapping[str, str], out: dict[str, str]
) -> dict[str, str]:
    for kind, rule, (named, pattern, prefix) in rules:
        if kind == "insert":
            out[named] = rule.value  # type: ignore[index]
        elif kind == "propagate" and named is not None:
            value = client.get(named, rule.default)
            if value is not None:
                out[(rule.rename or named).lower()] = value
        elif kind == "propagate":
            for name, value in client.items():
                if name not in RESERVED and _selects(name, pattern, prefix):
                    out[name] = value
        else:
            for name in [n for n in out if n == named or _selects(n, pattern, prefix)]:
                del out[name]
    return out


def _selects(name: str, pattern: re.Pattern[str] | None, prefix: str | None) -> bool:
    if pattern is not None:
        return pattern.fullmatch(name) is not None
    return prefix is not None and name.startswith(prefix)


# -- checks and config ---------------------------------------------------------------------


def _check_name(name: object, rule: str) -> None:
    if not isinstance(name, str) or not _TOKEN.fullmatch(name.lower()):
        raise HeaderRuleError(f"{rule}: {name!r} is not a header name")
    if name.lower() in RESERVED:
        raise HeaderRuleError(f"{rule}: {name} is set by the gateway and cannot be forwarded")


def _check_value(value: object, rule: str) -> None:
    if not isinstance(value, str) or _BAD_VALUE.search(value):
        raise HeaderRuleError(f"{rule}: the value must be a string without line breaks")


_RULE_TYPES: dict[str, type[Propagate] | type[Insert] | type[Remove]] = {
    "propagate": Propagate,
    "insert": Insert,
    "remove": Remove,
}
_FIELDS = {
    "propagate": {"named", "matching", "prefix", "rename", "default"},
    "insert": {"name", "value"},
    "remove": {"named", "matching", "prefix"},
}


def _rules_from_config(rules: object, where: str) -> list[HeaderRule]:
    if not isinstance(rules, list):
        raise HeaderRuleError(f"{where} must be a list of rules")
    parsed: list[HeaderRule] = []
    for index, entry in enumerate(rules):
        at = f"{where}[{index}]"
        if not isinstance(entry, Mapping) or len(entry) != 1:
            raise HeaderRuleError(f"{at} must have exactly one of propagate, insert, remove")
        ((kind, fields),) = entry.items()
        if kind not in _RULE_TYPES or not isinstance(fields, Mapping):
            raise HeaderRuleError(f"{at}: expected propagate, insert or remove with a table")
        _check_keys(fields, _FIELDS[kind], f"{at}.{kind}")
        try:
            parsed.append(_RULE_TYPES[kind](**fields))
        except (HeaderRuleError, TypeError) as error:
            raise HeaderRuleError(f"{at}: {error}") from None
    return parsed


def _check_keys(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    if not isinstance(table, Mapping):
        raise HeaderRuleError(f"{where} must be a table")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise HeaderRuleError(f"{where}: unknown key(s) {', '.join(unknown)}")
