"""What to change in the app once blueprints manage its fixtures: the new `fixtures` list for
hooks.py, the files to delete or trim (Frappe imports every file in fixtures/ on every migrate,
whatever hooks.py says), and the `frappe_stack_blueprints` hook line when the blueprints live in
the app. Only printed: adopt never edits the app."""

import json
from dataclasses import dataclass, field

from frappe_stack.adopt.fixture_hooks import FilterError, FixtureEntry
from frappe_stack.adopt.shipped_documents import FIXTURES, Shipped
from frappe_stack.blueprint.model import Key


@dataclass
class EntryChange:
	entry: str  # e.g. "fixtures[2] (Custom Field)"
	action: str  # removed | narrowed | kept
	reason: str

	def as_dict(self) -> dict:
		return {"entry": self.entry, "action": self.action, "reason": self.reason}


@dataclass
class FileChange:
	file: str
	action: str  # delete | trim
	remove: list[str] = field(default_factory=list)  # "$[0] Role 'X'" when trimming

	def as_dict(self) -> dict:
		return {"file": self.file, "action": self.action, "remove": self.remove}


@dataclass
class HooksChange:
	app: str
	entries: list[EntryChange] = field(default_factory=list)
	new_fixtures: list | None = None  # None: hooks.py keeps its list as it is
	files: list[FileChange] = field(default_factory=list)
	hook_line: str | None = None

	@property
	def needed(self) -> bool:
		return self.new_fixtures is not None or bool(self.files) or self.hook_line is not None

	def fixtures_text(self) -> str:
		if not self.new_fixtures:
			return "fixtures = []"
		return "fixtures = [\n" + "".join(f"\t{py_literal(raw)},\n" for raw in self.new_fixtures) + "]"

	def as_dict(self) -> dict:
		return {
			"entries": [e.as_dict() for e in self.entries],
			"fixtures": self.fixtures_text() if self.new_fixtures is not None else None,
			"files": [f.as_dict() for f in self.files],
			"hook_line": self.hook_line,
		}

	def text(self) -> str:
		if not self.needed:
			return f"  {self.app}: nothing to change (no document it ships is managed by a blueprint)"
		lines = []
		if self.new_fixtures is not None:
			lines.append(f"  In {self.app}/hooks.py, replace the `fixtures` list with:")
			lines += [f"    {line}" for line in self.fixtures_text().splitlines()]
			lines += [f"    # {e.entry}: {e.action}, {e.reason}" for e in self.entries]
		if self.files:
			lines.append(
				"  Then in the app (Frappe imports these files on every migrate, whatever hooks.py says):"
			)
			for change in self.files:
				if change.action == "delete":
					lines.append(f"    delete {change.file}")
				else:
					lines.append(f"    remove from {change.file}: {', '.join(change.remove)}")
		if self.hook_line:
			lines.append(f"  And add to {self.app}/hooks.py, so every migrate applies the blueprints:")
			lines.append(f"    {self.hook_line}")
		return "\n".join(lines)


def hooks_change(
	app: str,
	entries: list[FixtureEntry],
	shipped: list[Shipped],
	managed: set[Key],
	supported: set[str],
	hook_folder: str | None = None,
) -> HooksChange:
	"""`managed`: the shipped documents blueprints now hold; `hook_folder`: the blueprint folder
	relative to the app's package, when the blueprints live in the app."""
	change = HooksChange(app)
	fixtures = [item.document for item in shipped if item.via == FIXTURES]
	kept_list, touched = [], False
	for entry in entries:
		result, raw = _entry_change(entry, fixtures, managed, supported)
		change.entries.append(result)
		touched |= result.action != "kept"
		if raw is not None:
			kept_list.append(raw)
	if touched:
		change.new_fixtures = kept_list
	change.files = _file_changes(shipped, managed)
	if hook_folder is not None:
		change.hook_line = f"frappe_stack_blueprints = {json.dumps(hook_folder)}"
	return change


def _entry_change(entry: FixtureEntry, fixtures: list[dict], managed: set[Key], supported: set[str]):
	try:
		covered = [(doc["doctype"], doc["name"]) for doc in fixtures if entry.matches(doc)]
	except FilterError as e:
		return EntryChange(
			entry.shown(), "kept", f"it cannot be evaluated here ({e}): edit it by hand"
		), entry.raw
	if entry.doctype not in supported:
		return EntryChange(
			entry.shown(), "kept", f"{entry.doctype} is not a doctype blueprints support"
		), entry.raw
	adopted = sorted(key[1] for key in covered if key in managed)
	if not covered:
		return EntryChange(entry.shown(), "kept", "it matches no document in fixtures/"), entry.raw
	if len(adopted) == len(covered):
		return EntryChange(
			entry.shown(), "removed", f"blueprints manage all {len(covered)} of its documents"
		), None
	if not adopted:
		return EntryChange(entry.shown(), "kept", "none of its documents was adopted"), entry.raw
	reason = f"blueprints manage {len(adopted)} of its {len(covered)} documents, now left out by name"
	return EntryChange(entry.shown(), "narrowed", reason), _without(entry.raw, adopted)


def _without(raw, names: list[str]):
	"""The entry as written, plus a filter leaving out `names`."""
	exclude = ["name", "not in", names]
	if isinstance(raw, str):
		return {"dt": raw, "filters": [exclude]}
	out = dict(raw)
	filters = out.get("filters")
	if isinstance(filters, dict) and "name" not in filters:
		out["filters"] = {**filters, "name": ["not in", names]}
	elif isinstance(filters, dict):
		out["filters"] = [[k, *(v if isinstance(v, list | tuple) else ["=", v])] for k, v in filters.items()]
		out["filters"].append(exclude)
	elif filters and isinstance(filters[0], str):  # one flat filter
		out["filters"] = [list(filters), exclude]
	else:
		out["filters"] = [*(filters or []), exclude]
	return out


def _file_changes(shipped: list[Shipped], managed: set[Key]) -> list[FileChange]:
	by_file: dict[str, list[Shipped]] = {}
	for item in shipped:
		by_file.setdefault(item.file, []).append(item)
	changes = []
	for file, items in sorted(by_file.items()):
		adopted = [item for item in items if item.key in managed]
		if not adopted:
			continue
		if len(adopted) == len(items):
			changes.append(FileChange(file, "delete"))
		else:
			remove = [f"{item.path} {item.key[0]} '{item.key[1]}'" for item in adopted]
			changes.append(FileChange(file, "trim", remove))
	return changes


def py_literal(value) -> str:
	"""`value` as Python source, on one line (hooks.py is Python, not JSON)."""
	if isinstance(value, str):
		return json.dumps(value, ensure_ascii=False)
	if value is None or isinstance(value, bool):
		return repr(value)
	if isinstance(value, int | float):
		return repr(value)
	if isinstance(value, dict):
		return "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
	if isinstance(value, tuple):
		inner = ", ".join(py_literal(v) for v in value)
		return f"({inner},)" if len(value) == 1 else f"({inner})"
	if isinstance(value, list):
		return "[" + ", ".join(py_literal(v) for v in value) + "]"
	raise TypeError(f"cannot write {value!r} into hooks.py")
