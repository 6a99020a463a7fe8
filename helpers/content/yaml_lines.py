"""YAML loading that remembers line numbers.

An author fixing a bank file needs ``questions.yaml:132``, not a Python path
into a nested dict.  We keep, for every mapping we build, the line it starts on
and the line of each of its keys, looked up later by the mapping's identity.
libyaml's parser is used where installed: a 10 000-question bank must load in
well under a second.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class LineIndex:
    """Where each loaded mapping and each of its keys sits in the file."""

    _mappings: dict[int, tuple[int, dict[str, int]]] = field(default_factory=dict)

    def line_of(self, mapping: Any, key: str | None = None) -> int | None:
        entry = self._mappings.get(id(mapping))
        if entry is None:
            return None
        start, keys = entry
        return keys.get(key, start) if key is not None else start

    def record(self, mapping: dict, node: yaml.MappingNode) -> None:
        keys = {
            str(key_node.value): key_node.start_mark.line + 1
            for key_node, _ in node.value
            if isinstance(key_node, yaml.ScalarNode)
        }
        self._mappings[id(mapping)] = (node.start_mark.line + 1, keys)


class _LineLoader(_Base):  # type: ignore[misc, valid-type]
    def __init__(self, stream: str):
        super().__init__(stream)
        self.lines = LineIndex()

    def construct_yaml_map(self, node: yaml.MappingNode):  # noqa: ANN201 - a PyYAML generator constructor
        data: dict = {}
        self.lines.record(data, node)
        yield data
        data.update(self.construct_mapping(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_yaml_map)


def load_with_lines(text: str) -> tuple[Any, LineIndex]:
    """Parse one YAML document; raises ``yaml.YAMLError`` on bad syntax."""
    loader = _LineLoader(text)
    try:
        return loader.get_single_data(), loader.lines
    finally:
        loader.dispose()
