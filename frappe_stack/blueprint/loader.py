"""Read `blueprints/*.json` into Blueprints, checking each file on its own.

Every problem is collected (not just the first) so one run shows the user everything to fix.
Cross-file rules live in validate.py.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from frappe_stack.blueprint import file_format
from frappe_stack.blueprint.model import Blueprint, Document
from frappe_stack.blueprint.registry import adapter_for, managed_form
from frappe_stack.blueprint.schema import DoctypeSchema, coerce
from frappe_stack.blueprint.secret_fields import find_secrets
from frappe_stack.blueprint.unknown_keys import unknown_keys
from frappe_stack.errors import BlueprintError

SchemaLookup = Callable[[str], DoctypeSchema | None]


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

	found = file_format.problems(raw)
	errors = [error(p.path, p.message, p.fix) for p in found]
	name = raw.get("blueprint")
	if not file_format.is_within("$.blueprint", found) and name != file.stem:
		errors.append(
			error(
				"$.blueprint",
				f"name '{name}' differs from the file name",
				f'rename the file to {name}.json or set "blueprint": "{file.stem}"',
			)
		)

	docs = []
	for index, item in enumerate(_list(raw, "documents")):
		path = f"$.documents[{index}]"
		if not file_format.is_within(path, found):
			doc, doc_errors = _check_document(item, path, name, error, schema)
			errors += doc_errors
			if doc is not None:
				docs.append(doc)

	deletes = []
	for index, item in enumerate(_list(raw, "delete")):
		path = f"$.delete[{index}]"
		if file_format.is_within(path, found):
			continue
		if adapter_for(item["doctype"]).by_field:
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
		description=raw.get("description", ""),
		depends_on=list(raw.get("depends_on", [])),
		requires=dict(raw.get("requires", {})),
		documents=docs,
		deletes=deletes,
	)
	return bp, []


def load_document(
	item, shown: str, path: str, schema: SchemaLookup | None
) -> tuple[Document | None, list[BlueprintError]]:
	"""One document checked as a blueprint file would hold it (adopt checks fixtures with it)."""

	def error(at, message, fix):
		return BlueprintError(shown, at, message, fix)

	found = file_format.problems(item, "document")
	if found:
		return None, [error(path + p.path.removeprefix("$"), p.message, p.fix) for p in found]
	return _check_document(item, path, "", error, schema)


def _list(raw: dict, key: str) -> list:
	"""A list the schema has checked, or nothing when it is not one."""
	value = raw.get(key)
	return value if isinstance(value, list) else []


def _check_document(item: dict, path: str, blueprint: str, error, schema: SchemaLookup | None):
	"""What the schema cannot say of a well-formed document: the fields its doctype needs, the name
	Frappe would give it, whether an app owns it, its doctype's own rules, secrets."""
	doctype, name = item["doctype"], item["name"]
	adapter = adapter_for(doctype)
	errors = []
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
	if doc_schema is not None and not adapter.by_field:
		errors += [
			error(f"{path}.{key}", message, fix) for key, message, fix in unknown_keys(item, doc_schema)
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
