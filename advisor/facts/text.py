"""Renders an Environment as text, JSON or YAML, with each fact's source."""

from __future__ import annotations

import json
import logging
from typing import Any

from pydantic import BaseModel

from advisor.facts.models import (
    DeviceIO,
    Environment,
    Fact,
    InterfaceRate,
    Mount,
    Node,
    Placement,
    Pressure,
    Service,
    node_unknowns,
    unknown_facts,
)

log = logging.getLogger(__name__)

#: Node sections in the order they are printed.
SECTIONS = (
    "roles",
    "hardware",
    "storage",
    "strain",
    "config",
    "limits",
    "software",
    "time",
    "derived",
)

NAME_WIDTH = 28
VALUE_WIDTH = 34


def render(environment: Environment, fmt: str = "text") -> str:
    """Renders in `text`, `json` or `yaml`."""
    if fmt == "json":
        return json.dumps(as_data(environment), indent=2) + "\n"
    if fmt == "yaml":
        import yaml

        return yaml.safe_dump(as_data(environment), sort_keys=False)
    return as_text(environment)


def as_data(environment: Environment) -> dict[str, Any]:
    """The environment as plain data, with each node's unknown facts listed."""
    data = environment.model_dump(mode="json")
    for node, entry in zip(environment.nodes, data["nodes"], strict=True):
        entry["unknown"] = node_unknowns(node)
    data["unknown"] = unknown_facts(environment.derived, "derived.")
    return data


def as_text(environment: Environment) -> str:
    """Lists facts per node, each with its source, then the environment's facts."""
    lines: list[str] = []
    for node in environment.nodes:
        lines += _node_lines(node)
    lines.append("Environment")
    lines += _section_lines(environment.derived, "  ", cite_node=True)
    if environment.user_source:
        lines.append(f"  facts file: {environment.user_source}")
    missing = unknown_facts(environment.derived, "derived.")
    if missing:
        lines.append("  unknown: " + ", ".join(missing))
    return "\n".join(lines) + "\n"


def _node_lines(node: Node) -> list[str]:
    """One node: its name, every section, then unknown and skipped files."""
    lines = [f"Node {node.name}  (name from {node.name_source}; root {node.root})"]
    for section in SECTIONS:
        body = _section_lines(getattr(node, section), "    ")
        if body:
            lines += [f"  {section}", *body]
    missing = node_unknowns(node)
    lines.append("  unknown: " + (", ".join(missing) if missing else "nothing"))
    lines += [f"  skipped {s.file}: {s.reason}" for s in node.skipped]
    return lines + [""]


def _section_lines(
    section: BaseModel, indent: str, cite_node: bool = False
) -> list[str]:
    """Lines for the known facts of one section."""
    lines: list[str] = []
    for name in type(section).model_fields:
        value = getattr(section, name)
        if isinstance(value, Fact):
            lines.append(_fact_line(indent, name, value, cite_node))
        elif isinstance(value, dict):
            lines += [
                _fact_line(indent, f"{name}.{key}", item, cite_node)
                for key, item in value.items()
            ]
        elif isinstance(value, list) and value and isinstance(value[0], Service):
            lines.append(_services_line(indent, value))
        elif isinstance(value, list):
            lines += [_item_line(indent, name, item) for item in value]
    return lines


def _fact_line(indent: str, name: str, item: Fact[Any], cite_node: bool) -> str:
    """`name  value  source (note) from basis`."""
    note = f" ({item.note})" if item.note else ""
    basis = ", ".join(s.cite() if cite_node else str(s) for s in item.basis)
    source = item.source.cite() if cite_node else str(item.source)
    origin = f"{source}{note}" + (f" from {basis}" if basis else "")
    return f"{indent}{name:<{NAME_WIDTH}} {_show(item.value):<{VALUE_WIDTH}} {origin}"


def _services_line(indent: str, services: list[Service]) -> str:
    """All services on one line; a state other than `run` is shown beside its name."""
    names = [s.name if s.state == "run" else f"{s.name} ({s.state})" for s in services]
    return f"{indent}{'services':<{NAME_WIDTH}} {', '.join(names)}  gitlab_status"


def _item_line(indent: str, name: str, item: Any) -> str:
    """One mount, device or interface."""
    if isinstance(item, Mount | DeviceIO | InterfaceRate):
        text, origin = _show(item), str(item.source)
    else:
        text, origin = _show(item), ""
    return f"{indent}{name:<{NAME_WIDTH}} {text:<{VALUE_WIDTH}} {origin}"


def _show(value: Any) -> str:
    """Formats a value compactly."""
    if isinstance(value, Pressure):
        full = f", full {value.full_avg10}/{value.full_avg60}/{value.full_avg300}"
        some = f"some {value.some_avg10}/{value.some_avg60}/{value.some_avg300}"
        return some + (full if value.full_avg10 is not None else "")
    if isinstance(value, Placement):
        network = ", network" if value.network else ""
        return f"{value.path} on {value.mount_point} ({value.fs_type}{network})"
    if isinstance(value, Mount):
        network = ", network" if value.network else ""
        size = f" {value.size_gb:g} GiB" if value.size_gb is not None else ""
        return f"{value.mount_point} {value.fs_type}{size}{network}"
    if isinstance(value, DeviceIO):
        return (
            f"{value.device} util {value.util_pct}% r_await {value.r_await_ms} ms"
            f" w_await {value.w_await_ms} ms"
        )
    if isinstance(value, InterfaceRate):
        return (
            f"{value.interface} rx {value.rx_kb_per_s} kB/s tx {value.tx_kb_per_s} kB/s"
        )
    if isinstance(value, list):
        return ", ".join(_show(item) for item in value) or "none"
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return str(value)
