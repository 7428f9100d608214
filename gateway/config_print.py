"""`brand-matrix config check`: the effective config as TOML, each setting with where its value
came from, secrets masked (secret settings entirely, passwords inside URLs)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from gateway.config import GatewayConfig, env_name, setting_specs

MASK = "********"


def describe(config: GatewayConfig) -> str:
    where = str(config.path) if config.path else "no config file"
    lines = [f"# effective configuration ({where}; environment and flags applied)"]
    for section, keys in setting_specs().items():
        lines += ["", f"[{section}]"]
        values = config.sections[section]
        for key, spec in keys.items():
            value = getattr(values, key)
            origin = config.origins.get(f"{section}.{key}", "default")
            var = env_name(section, key)
            note = f"# {origin}" if var in origin else f"# {origin} (env {var})"
            if value is None:
                lines.append(f"# {key} is not set  {note}")
                continue
            shown = MASK if spec.secret else _value(value)
            lines.append(f"{key} = {shown}  {note}")
    lines.append(f"# supergraph reload every {config.supergraph_interval:g} s (0: off)")
    for source in config.subgraphs:
        lines += ["", f"[subgraphs.{source.name}]", f"url = {_value(source.url)}"]
        if source.schema is not None:
            lines.append(f"schema = {_value(str(source.schema))}")
        else:
            lines.append(f"introspect = {_value(source.introspect_url or True)}")
    for name, partition in config.brands.partitions.items():
        rules = partition.rules
        lines += ["", f"[partitions.{name}]", f"brand_from = {_value(rules.brand_from)}"]
        lines.append(f"key_field = {_value(rules.key_field)}")
        lines.append(f"group_wide = {_value(sorted(rules.group_wide))}")
        lines.append(f"[partitions.{name}.brands]")
        lines += [f"{brand} = {_value(url)}" for brand, url in partition.brands.items()]
    for brand, display in config.brands.names.items():
        lines += ["", f"[brands.{brand}]", f"name = {_value(display)}"]
    for contract in config.contracts:  # gateway/contracts: filtered schemas by @tag
        lines += ["", f"[contracts.{contract.name}]"]
        lines.append(f"include_tags = {_value(sorted(contract.include_tags))}")
        lines.append(f"exclude_tags = {_value(sorted(contract.exclude_tags))}")
        lines.append(f"brands = {_value(contract.brands)}")
        lines.append(f"front_ends = {_value(contract.front_ends)}")
    return "\n".join(lines) + "\n"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(mask_url(str(value)), ensure_ascii=False)


def mask_url(text: str) -> str:
    """`http://user:secret@host/x` -> `http://user:********@host/x`; other text unchanged."""
    if "://" not in text or "@" not in text:
        return text
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    if parts.password is None:
        return text
    netloc = parts.netloc.replace(f":{parts.password}@", f":{MASK}@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
