"""Read `blueprints/*.json` into Blueprints, checking each file on its own.

Every problem is collected (not just the first) so one run shows the user everything to fix.
Cross-file rules live in validate.py.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from frappe_stack.blueprint.model import Blueprint, Document
from frappe_stack.blueprint.registry import adapter_for, managed_form, supported_doctypes
from frappe_stack.blueprint.schema import DoctypeSchema, coerce
from frappe_stack.blueprint.secrets import find_secrets
from frappe_stack.errors import BlueprintError

SchemaLookup = Callable[[str], DoctypeSchema | None]
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
TOP_LEVEL_KEYS = ("blueprint", "description", "depends_on", "requires", "documents", "delete")
APP_NAME = re.compile(r"[a-z][a-z0-9_]*")
VERSION = re.compile(r"\d+(\.\d+){0,2}")


@dataclass(frozen=True)
class Source:
	"""A folder of blueprints; `label` prefixes file names in messages (an app's name, or nothing)."""

	directory: Path
	label: str = ""

	@property
	def blueprint_dir(self) -> Path:
		"""A config repo root (with a blueprints/ folder) or the blueprints folder itself."""
		nested = Path(self.directory) / "blueprints"
		return nested if nested.is_dir() else Path(self.directory)

	def shown(self, file: Path) -> str:
		return f"{self.label}{self.blueprint_dir.name}/{file.name}"


def load_files(
	source: Source, schema: SchemaLookup | None = None
) -> tuple[list[Blueprint], list[BlueprintError]]:
	blueprints, errors = [], []
	for file in sorted(source.blueprint_dir.glob("*.json")):
		bp, file_errors = load_file(file, source.shown(file), schema)
		errors += file_errors
		if bp is not None:
			blueprints.append(bp)
	return blueprints, errors


def load_file(
	file: Path, shown: str, schema: SchemaLookup | None
) -> tuple[Blueprint | None, list[BlueprintError]]:
	def error(path, message, fix):
		return BlueprintError(shown, path, message, fix)

	try:
		raw = json.loads(file.read_text(encoding="utf-8"))
	except UnicodeDecodeError as e:
		return None, [error("$", f"not UTF-8 text ({e.reason} at byte {e.start})", "save the file as UTF-8")]
	except json.JSONDecodeError as e:
		return None, [
			error(
				"$",
				f"malformed JSON: {e.msg} at line {e.lineno} column {e.colno}",
				"correct the JSON syntax there",
			)
		]
	if not isinstance(raw, dict):
		return None, [
			error(
				"$", "a blueprint must be a JSON object", 'wrap it as {"blueprint": ..., "documents": [...]}'
			)
		]

	errors = []
	for key in raw:
		if key not in TOP_LEVEL_KEYS:
			errors.append(
				error(
					f"$.{key}",
					f"unknown key '{key}'",
					f"remove it; allowed keys: {', '.join(TOP_LEVEL_KEYS)}",
				)
			)

	name = raw.get("blueprint")
	if not isinstance(name, str) or not NAME_PATTERN.match(name):
		errors.append(
			error(
				"$.blueprint",
				f"blueprint name {name!r} is missing or not lowercase-kebab",
				'set "blueprint" to a name like "beneficiary"',
			)
		)
	elif name != file.stem:
		errors.append(
			error(
				"$.blueprint",
				f"name '{name}' differs from the file name",
				f'rename the file to {name}.json or set "blueprint": "{file.stem}"',
			)
		)

	description = raw.get("description", "")
	if not isinstance(description, str):
		errors.append(
			error("$.description", "description must be a string", "write the description as one string")
		)

	depends_on = raw.get("depends_on", [])
	if not isinstance(depends_on, list) or not all(isinstance(d, str) and d for d in depends_on):
		errors.append(
			error(
				"$.depends_on",
				"depends_on must be a list of blueprint names",
				'write it like ["field-roles"]',
			)
		)
		depends_on = []

	requires = raw.get("requires", {})
	if not isinstance(requires, dict) or not all(
		isinstance(app, str)
		and APP_NAME.fullmatch(app)
		and isinstance(version, str)
		and (version == "" or VERSION.fullmatch(version))
		for app, version in requires.items()
	):
		errors.append(
			error(
				"$.requires",
				"requires must map app names to their minimum version",
				'write it like {"erpnext": "15.20.0"} ("" for any version)',
			)
		)
		requires = {}

	documents = raw.get("documents")
	if not isinstance(documents, list):
		errors.append(
			error("$.documents", "documents is missing or not a list", 'add "documents": [ {...}, ... ]')
		)
		documents = []

	docs = []
	for index, item in enumerate(documents):
		doc, doc_errors = _load_document(item, f"$.documents[{index}]", name, error, schema)
		errors += doc_errors
		if doc is not None:
			docs.append(doc)

	deletes = []
	tombstones = raw.get("delete", [])
	if not isinstance(tombstones, list):
		errors.append(
			error(
				"$.delete",
				"delete must be a list",
				'write it like [{"doctype": "Custom Field", "name": "Customer-old_code"}]',
			)
		)
		tombstones = []
	for index, item in enumerate(tombstones):
		path = f"$.delete[{index}]"
		if (
			not isinstance(item, dict)
			or set(item) != {"doctype", "name"}
			or not all(isinstance(v, str) and v for v in item.values())
		):
			errors.append(
				error(
					path,
					"a tombstone needs exactly a doctype and a name",
					'{"doctype": "Custom Field", "name": "Customer-old_code"}',
				)
			)
		elif adapter_for(item["doctype"]) is None:
			errors.append(_unknown_doctype(error, f"{path}.doctype", item["doctype"]))
		elif adapter_for(item["doctype"]).by_field:
			errors.append(
				error(
					path,
					f"a field of the Single {item['doctype']} cannot be deleted",
					"remove its document from the blueprint to stop managing it (the site keeps its value)",
				)
			)
		else:
			deletes.append((item["doctype"], item["name"]))

	if errors:
		return None, errors
	docs.sort(key=lambda d: (adapter_for(d.doctype).rank, d.doctype, d.name))
	bp = Blueprint(
		name=name,
		file=shown,
		description=description,
		depends_on=list(depends_on),
		requires=dict(requires),
		documents=docs,
		deletes=deletes,
	)
	return bp, []


def load_document(
	item, shown: str, path: str, schema: SchemaLookup | None
) -> tuple[Document | None, list[BlueprintError]]:
	"""One document checked as a blueprint file would hold it (adopt checks fixtures with it)."""
	return _load_document(item, path, "", lambda p, m, f: BlueprintError(shown, p, m, f), schema)


def _unknown_doctype(error, path: str, doctype) -> BlueprintError:
	return error(
		path, f"unknown or unsupported doctype {doctype!r}", f"use one of: {', '.join(supported_doctypes())}"
	)


def _load_document(item, path: str, blueprint: str, error, schema: SchemaLookup | None):
	if not isinstance(item, dict):
		return None, [
			error(
				path,
				"a document must be a JSON object",
				'write it like {"doctype": "Role", "name": "Field Officer", ...}',
			)
		]
	doctype = item.get("doctype")
	adapter = adapter_for(doctype) if isinstance(doctype, str) else None
	if adapter is None:
		return None, [_unknown_doctype(error, f"{path}.doctype", doctype)]
	name = item.get("name")
	if not isinstance(name, str) or not name.strip():
		return None, [
			error(
				f"{path}.name",
				f"{doctype} document has no name",
				'add "name" with the document\'s name on the site',
			)
		]

	errors = []
	for key, value in item.items():
		if isinstance(value, list) and not all(isinstance(row, dict) for row in value):
			errors.append(
				error(
					f"{path}.{key}",
					f"child table '{key}' must be a list of objects",
					"make each row a JSON object",
				)
			)
	for required in adapter.required:
		if item.get(required) in (None, "", []):
			errors.append(
				error(f"{path}.{required}", f"{doctype} '{name}' has no {required}", f'add "{required}"')
			)
	expected = adapter.expected_name(item) if not errors else None
	if expected is not None and expected != name:
		errors.append(
			error(
				f"{path}.name",
				f"{doctype} name '{name}' should be '{expected}' (Frappe names it so)",
				f'set "name": "{expected}"',
			)
		)
	if adapter.standard_guard is not None:
		guard_field, standard_value = adapter.standard_guard
		if _is_standard(
			item.get(guard_field, standard_value if guard_field == "custom" else None), standard_value
		):
			errors.append(
				error(
					f"{path}.{guard_field}",
					f"{doctype} '{name}' is a standard document that an app owns",
					_standard_fix(guard_field),
				)
			)
	doc_schema = schema(doctype) if schema else None
	errors += [
		error(f"{path}.{key}", message, fix) for key, message, fix in adapter.problems(item, doc_schema)
	]
	errors += _secret_errors(item, path, error, doc_schema)
	if errors:
		return None, errors

	return Document(blueprint=blueprint, data=managed_form(item, doc_schema), path=path), []


def _is_standard(value, standard_value) -> bool:
	if isinstance(standard_value, int):
		# a Check: "0", 0, 0.0 and false all mean unset, as they do in the canonical form
		value = coerce("Check", value)
		return bool(value) == bool(standard_value) and value is not None
	return value == standard_value


def _standard_fix(guard_field: str) -> str:
	if guard_field == "custom":
		return 'only custom DocTypes are blueprints: set "custom": 1 (standard DocTypes live in app code)'
	return f'set "{guard_field}" to the non-standard value, or leave the document to the app that owns it'


def _secret_errors(item: dict, path: str, error, doc_schema: DoctypeSchema | None) -> list[BlueprintError]:
	return [
		_secret_error(error, path + secret.path, secret.what) for secret in find_secrets(item, doc_schema)
	]


def _secret_error(error, path: str, what: str) -> BlueprintError:
	return error(
		path,
		f"{what} holds a secret; secrets never live in blueprints",
		"remove the value and set it on each site (site config or Desk)"
		# a Password field's value (not a default) may name the site config key holding it
		+ (
			', or write {"site_config": "<key>"} to read it from there' if what.startswith("Password") else ""
		),
	)
