"""The only module that imports yaml: parse a file into plain values that remember their lines.

Schema checks (rules, policies) need to say *where* a fault is; PyYAML forgets positions once it
builds dicts, so mappings and lists here carry the line of each key and item. Duplicate keys,
which PyYAML silently collapses, are errors. PyYAML itself is imported on the first parse: a
scan whose packs come from the cache (``rules/speccache``) and whose repository has no policy
file never needs it.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leakguard.errors import ConfigError

if TYPE_CHECKING:
    import yaml


class LineDict(dict):
    """A mapping that knows the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return getattr(self, "key_lines", {}).get(key, self.line)


class LineList(list):
    """A list that knows the line it starts on and the line of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        lines = getattr(self, "item_lines", [])
        return lines[index] if index < len(lines) else self.line


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise ConfigError("mapping keys must be plain scalars", file=loader.source_name,
                              line=line)
        if key in result:
            raise ConfigError(f"duplicate key {key!r}", file=loader.source_name, line=line)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = line
    return result


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


@functools.cache
def _loader_class() -> type:
    """SafeLoader that keeps line numbers and rejects duplicate keys: libyaml's parser when
    PyYAML was built with it (about 6x faster on the shipped packs), else the pure-Python one;
    both hand the same nodes, with marks, to the constructors above."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = type("_Loader", (base,), {"source_name": "<yaml>"})
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    return loader


def parse_yaml(text: str, source_name: str) -> Any:
    """Parse one YAML document; syntax errors name the file and line."""
    import yaml

    loader = _loader_class()(text)
    loader.source_name = source_name
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise ConfigError(f"invalid YAML: {problem}", file=source_name, line=line) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", file=source_name) from None
    finally:
        loader.dispose()


def load_yaml(path: Path, display_name: str | None = None) -> Any:
    """Read and parse a YAML file, turning I/O and decoding problems into ConfigError."""
    name = display_name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("file not found", file=name) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=name) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", file=name) from None
    return parse_yaml(text, name)


def dump_yaml(data: Any) -> str:
    """Serialise plain data for files leakguard writes (starter policies)."""
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
