"""The documents an app ships as files, read the way Frappe v15 syncs them on `migrate`:

- every `<app>/fixtures/*.json` (a list of documents, or one), whatever the `fixtures` hook says
  (frappe.utils.fixtures.import_fixtures deletes and re-inserts each of them on every migrate);
- `<app>/<module>/custom/*.json` from Export Customizations: {"doctype": X, "custom_fields": [...],
  "property_setters": [...], "custom_perms": [...], "links": [...], "sync_on_migrate": 0|1}
  (frappe.modules.utils.sync_customizations: on every migrate when sync_on_migrate is set, else
  only when the app is installed).
"""

import json
from dataclasses import dataclass
from pathlib import Path

from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.registry import adapter_for

FIXTURES, CUSTOMIZATIONS = "fixtures", "custom"
# Export Customizations' lists and the doctype of their rows.
CUSTOM_LISTS = {
	"custom_fields": "Custom Field",
	"property_setters": "Property Setter",
	"custom_perms": "Custom DocPerm",
	"links": "DocType Link",
}


@dataclass(frozen=True)
class Shipped:
	"""One document an app ships in a file."""

	app: str
	file: str  # shown relative to the app's folder, e.g. "my_app/fixtures/custom_field.json"
	path: str  # JSON path inside the file, e.g. "$[2]" or "$.custom_fields[0]"
	document: dict
	via: str  # FIXTURES | CUSTOMIZATIONS
	on_migrate: bool  # Frappe writes it on every migrate

	@property
	def key(self) -> Key:
		return (self.document["doctype"], self.document["name"])


@dataclass(frozen=True)
class Unreadable:
	file: str
	problem: str

	def __str__(self) -> str:
		return f"{self.file}: {self.problem}"


def shipped_to_dict(item: Shipped) -> dict:
	"""What a remote client needs of it (one owner per document), without the document's content."""
	return {
		"app": item.app,
		"file": item.file,
		"path": item.path,
		"doctype": item.key[0],
		"name": item.key[1],
		"via": item.via,
	}


def shipped_from_dict(data: dict) -> Shipped:
	document = {"doctype": data["doctype"], "name": data["name"]}
	return Shipped(data["app"], data["file"], data["path"], document, data["via"], True)


def read_app(app: str, package: Path, modules: list[str]) -> tuple[list[Shipped], list[Unreadable]]:
	"""Every document `app` ships under its package folder (`modules`: module folder names)."""
	files = [(file, FIXTURES) for file in _json_files(package / "fixtures")]
	files += [
		(file, CUSTOMIZATIONS) for module in modules for file in _json_files(package / module / "custom")
	]
	found, problems = [], []
	for file, via in files:
		shown = file.relative_to(package.parent).as_posix()
		try:
			data = json.loads(file.read_text(encoding="utf-8"))
		except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
			problems.append(Unreadable(shown, f"cannot be read as JSON ({e})"))
			continue
		if via == CUSTOMIZATIONS and not isinstance(data, dict):
			problems.append(Unreadable(shown, "not an Export Customizations object"))
			continue
		entries = _fixture_entries(data) if via == FIXTURES else _custom_entries(data)
		for path, doc, on_migrate in entries:
			if isinstance(doc, dict) and isinstance(doc.get("doctype"), str) and doc.get("name"):
				found.append(Shipped(app, shown, path, doc, via, on_migrate))
			else:
				problems.append(Unreadable(f"{shown} {path}", "not a document with a doctype and a name"))
	return found, problems


def _json_files(folder: Path) -> list[Path]:
	return sorted(folder.glob("*.json")) if folder.is_dir() else []


def _fixture_entries(data):
	"""A fixtures file holds a list of documents, or one (import_doc takes both)."""
	if isinstance(data, list):
		return [(f"$[{index}]", doc, True) for index, doc in enumerate(data)]
	return [("$", data, True)]


def _custom_entries(data: dict):
	# Frappe v15 syncs the fields, setters and permissions of the file, not its links
	synced = bool(data.get("sync_on_migrate"))
	for key, doctype in CUSTOM_LISTS.items():
		for index, row in enumerate(data.get(key) or []):
			doc = dict(row, doctype=doctype) if isinstance(row, dict) else row
			if isinstance(doc, dict) and not doc.get("name"):
				doc["name"] = _custom_name(doc)
			yield f"$.{key}[{index}]", doc, synced and key != "links"


def _custom_name(doc: dict) -> str | None:
	"""The name Frappe gives a Custom Field or Property Setter that the file holds without one."""
	adapter = adapter_for(doc["doctype"])
	return adapter.expected_name(doc) if adapter else None
