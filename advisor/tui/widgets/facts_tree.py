"""The environment's facts, node by node, each with the file and line it came from."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from advisor.diagnosis import Diagnosis

#: Node sections in the order an operator reads them.
SECTIONS = (
    "hardware",
    "storage",
    "strain",
    "config",
    "limits",
    "software",
    "time",
    "roles",
    "derived",
)


def is_fact(value: Any) -> bool:
    """Whether a JSON value is one fact: a value with its source."""
    return isinstance(value, dict) and "value" in value and "source" in value


def source_text(source: Any) -> str:
    """``file:line`` (or just the file) of a fact's source."""
    if not isinstance(source, dict):
        return ""
    where = str(source.get("file") or "")
    if source.get("line"):
        where += f":{source['line']}"
    return where


def short(value: Any, width: int = 60) -> str:
    """A value on one line, cut to ``width`` characters."""
    if isinstance(value, dict):
        text = ", ".join(f"{k}={v}" for k, v in value.items())
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    else:
        text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


class FactsTree(Tree[None]):
    """Shows nodes, their sections and facts; Enter or a click folds a branch."""

    def __init__(self, diagnosis: Diagnosis) -> None:
        super().__init__("environment", id="facts")
        self.diagnosis = diagnosis
        self.show_root = False
        self.guide_depth = 3

    def on_mount(self) -> None:
        environment = self.diagnosis.environment or {}
        for node in environment.get("nodes") or []:
            branch = self.root.add(f"node {node.get('name', '?')}", expand=True)
            for section in SECTIONS:
                if node.get(section):
                    self.add_value(branch, section, node[section], expand=False)
        if environment.get("derived"):
            self.add_value(
                self.root, "environment (derived)", environment["derived"], True
            )
        if self.diagnosis.unknown:
            unknown = self.root.add(f"not known ({len(self.diagnosis.unknown)})")
            for item in self.diagnosis.unknown:
                unknown.add_leaf(item)
        if not self.root.children:
            self.root.add_leaf("No system files among the inputs.")
        if self.root.children:
            self.root.children[0].expand()

    def add_value(
        self, parent: TreeNode[None], name: str, value: Any, expand: bool
    ) -> None:
        """Adds a fact as a leaf, or a group of facts as a branch."""
        if value is None or value == [] or value == {}:
            return
        if is_fact(value):
            label = Text.assemble(
                (f"{name}: ", "bold"),
                short(value.get("value")),
                (f"  {source_text(value.get('source'))}", "dim"),
            )
            if value.get("note"):
                label.append(f"  ({value['note']})", "dim italic")
            parent.add_leaf(label)
            return
        if isinstance(value, dict):
            branch = parent.add(name, expand=expand)
            for key, item in value.items():
                self.add_value(branch, key, item, False)
            return
        if isinstance(value, list):
            branch = parent.add(f"{name} ({len(value)})", expand=expand)
            for index, item in enumerate(value, 1):
                if isinstance(item, dict) and not is_fact(item):
                    title = item.get("name") or item.get("mount_point") or str(index)
                    where = source_text(item.get("source"))
                    text = short({k: v for k, v in item.items() if k != "source"})
                    branch.add_leaf(
                        Text.assemble(
                            (f"{title}: ", "bold"), text, (f"  {where}", "dim")
                        )
                    )
                else:
                    self.add_value(branch, str(index), item, False)
            return
        parent.add_leaf(Text.assemble((f"{name}: ", "bold"), short(value)))
