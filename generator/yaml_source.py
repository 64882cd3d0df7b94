"""Read YAML files while keeping the line number of every key and list item.

Validation messages name the line of the offending value, so the loader wraps
mappings and sequences in :class:`LinedDict` and :class:`LinedList`, which carry
the 1-based line of each entry next to the data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Problem


class LinedDict(dict):
    """A mapping that also knows the line of each key (``lines[key]``) and its own line."""

    line: int
    lines: dict[Any, int]


class LinedList(list):
    """A sequence that also knows the line of each item (``lines[index]``) and its own line."""

    line: int
    lines: list[int]


#: How YAML's types are named in messages.
_TAG_WORDS = {"tag:yaml.org,2002:timestamp": "date", "tag:yaml.org,2002:int": "number",
              "tag:yaml.org,2002:float": "number"}


#: libyaml's parser when PyYAML was built with it (about ten times faster on ~10,000 records), else Python's.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ALIAS_MESSAGE = "anchors and aliases (&name, *name) are not allowed in content: write the value out"


class _LineLoader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """A safe loader that builds :class:`LinedDict` / :class:`LinedList` and refuses what records never need.

    Refused, each as a marked error: duplicate keys, keys that are not plain text or
    numbers (``? [a]``), aliases (``*a``: a few bytes of aliases can expand into
    gigabytes; a node reached a second time is an alias), and values YAML cannot
    construct (``date: 2024-02-30``).
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:  # type: ignore[override]
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(None, None, _ALIAS_MESSAGE, node.start_mark)
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as error:
            value = node.value if isinstance(node, yaml.ScalarNode) else node.tag
            raise yaml.constructor.ConstructorError(
                None, None, f"{str(value)[:60]!r} is not a valid {_TAG_WORDS.get(node.tag, node.tag)} ({error})",
                node.start_mark) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LinedDict:  # type: ignore[override]
        mapping = LinedDict()
        mapping.line = node.start_mark.line + 1
        mapping.lines = {}
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain word, not a list or mapping", key_node.start_mark)
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.lines[key] = key_node.start_mark.line + 1
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LinedList:  # type: ignore[override]
        sequence = LinedList(self.construct_object(child, deep=True) for child in node.value)
        sequence.line = node.start_mark.line + 1
        sequence.lines = [child.start_mark.line + 1 for child in node.value]
        return sequence


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_sequence)


def load_yaml(path: Path, shown_as: str) -> tuple[Any, Problem | None]:
    """Parse ``path``; return ``(data, None)`` or ``(None, problem)`` for a file that is not valid YAML.

    ``shown_as`` is the path printed in messages (relative to the project).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, Problem(shown_as, 0, "", f"cannot read file: {error}")
    try:
        return yaml.load(text, Loader=_LineLoader), None  # noqa: S506 - _LineLoader is a SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        return None, Problem(shown_as, line, "", f"invalid YAML: {error.problem or error.context}")
