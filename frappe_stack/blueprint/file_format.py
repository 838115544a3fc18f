"""The blueprint file format: blueprint.schema.json (JSON Schema 2020-12), and its errors told the
loader's way, one per JSON path, with what to write instead.

Editors use the same file (README), so the structure of a blueprint is said once. Each error is
explained by the innermost schema node on its way that has an `x-message` (and `x-fix`), and is
reported at the part of the file that node describes: a bad row of `depends_on` is a problem of
`$.depends_on`, whose message says what the whole list must be.
"""

import json
import re
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

SCHEMA = json.loads(Path(__file__).with_name("blueprint.schema.json").read_text(encoding="utf-8"))
NAME_PATTERN = re.compile(SCHEMA["properties"]["blueprint"]["pattern"])
# keywords whose subschema describes a part of the instance, and the schema-path steps each takes
_INTO_A_PART = {"properties": 2, "additionalProperties": 1, "items": 1}


@dataclass(frozen=True)
class Problem:
	path: str
	message: str
	fix: str


def problems(instance, definition: str | None = None) -> list[Problem]:
	"""Where `instance` breaks the schema: a whole file, or with `definition` one of its `$defs`
	(a document alone). The first problem of each path only: one explanation per place to fix."""
	found = {}
	for error in _validator(definition).iter_errors(instance):
		for problem in _explain(_root(definition), error, instance):
			found.setdefault(problem.path, problem)
	return list(found.values())


def is_within(path: str, problems: list[Problem]) -> bool:
	"""Whether any problem lies at `path` or inside it."""
	return any(p.path == path or p.path.startswith((path + ".", path + "[")) for p in problems)


@cache
def _validator(definition: str | None) -> Draft202012Validator:
	return Draft202012Validator(_root(definition))


@cache
def _root(definition: str | None) -> dict:
	inlined = _inlined(SCHEMA, SCHEMA["$defs"])
	return inlined if definition is None else inlined["$defs"][definition]


def _inlined(node, definitions: dict):
	"""`node` with each `$ref` replaced by the definition it names. jsonschema looks a $ref up anew
	at every use, which made loading a large repo twice as slow; the file keeps its $refs for
	readers."""
	if isinstance(node, dict):
		if "$ref" in node:
			return _inlined(definitions[node["$ref"].removeprefix("#/$defs/")], definitions)
		return {key: _inlined(value, definitions) for key, value in node.items()}
	if isinstance(node, list):
		return [_inlined(value, definitions) for value in node]
	return node


def _explain(root: dict, error, instance) -> list[Problem]:
	steps, at = list(error.absolute_schema_path)[:-1], list(error.absolute_path)
	if error.validator == "required":
		return [
			_problem(root, [*steps, "properties", key], [*at, key], instance, error)
			for key in error.validator_value
			if key not in error.instance
		]
	if error.validator == "additionalProperties" and error.validator_value is False:
		known = error.schema.get("properties", {})
		return [
			_problem(root, steps, [*at, key], instance, error) for key in error.instance if key not in known
		]
	return [_problem(root, steps, at, instance, error)]


def _problem(root: dict, steps: list, at: list, instance, error) -> Problem:
	explaining, depth = _explaining_node(root, steps)
	if explaining is None:
		return Problem(_json_path(at), *_generic(error, at))
	path = at[:depth]
	holder, value = _holder_and_value(instance, path)
	if path and isinstance(holder, dict) and path[-1] not in holder and "{value" in explaining["x-message"]:
		# a required key that is not there: its node's message would describe its value (as None)
		return Problem(_json_path(path), f'"{path[-1]}" is missing', _fix(explaining, error, path, None))
	message = explaining["x-message"].format(
		key=path[-1] if path else "",
		value=value,
		doctype=holder.get("doctype") if isinstance(holder, dict) else None,
	)
	return Problem(_json_path(path), message, _fix(explaining, error, path, value))


def _explaining_node(root: dict, steps: list) -> tuple[dict | None, int]:
	"""The innermost node with an x-message on the way down `steps`, and how deep into the instance
	it sits."""
	node = root
	found = (node, 0) if "x-message" in node else (None, 0)
	depth, i = 0, 0
	while i < len(steps) and steps[i] in _INTO_A_PART:
		keyword = steps[i]
		node = node[keyword].get(steps[i + 1]) if keyword == "properties" else node[keyword]
		if not isinstance(
			node, dict
		):  # `additionalProperties: false`, or a required key it does not describe
			break
		depth, i = depth + 1, i + _INTO_A_PART[keyword]
		if "x-message" in node:
			found = (node, depth)
	return found


def _holder_and_value(instance, path: list):
	"""The object or list holding the value at `path`, and the value (None where it is missing)."""
	holder, value = None, instance
	for part in path:
		holder = value
		try:
			value = value[part]
		except (KeyError, IndexError, TypeError):
			value = None
	return holder, value


def _fix(node: dict, error, path: list, value) -> str:
	if "x-fix" in node:
		return node["x-fix"]
	if "enum" in node:
		close = get_close_matches(value, list(map(str, node["enum"])), n=1) if isinstance(value, str) else []
		if close:
			return f'did you mean "{close[0]}"?'
		return f"use one of: {', '.join(map(str, node['enum']))}"
	return _generic(error, path)[1]


def _generic(error, path: list) -> tuple[str, str]:
	"""What to say where the schema says nothing of its own."""
	if error.validator == "additionalProperties":
		return (
			f"unknown key '{path[-1]}'",
			f"remove it; allowed keys: {', '.join(error.schema['properties'])}",
		)
	return error.message, "see frappe_stack/blueprint/blueprint.schema.json"


def _json_path(path: list) -> str:
	return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)
