"""`adopt --app APP`: the documents an app ships (fixtures/ and custom/*.json) become blueprints,
grouped as export groups them, and the ledger records them as applied where the files equal the
site, so nothing is written to any document. Where they differ the blueprint holds the file's
content (what Frappe's own sync would put back on the next migrate) and stays Pending, so
`plan` shows the difference. Then it says what to change in the app. Pure: any site adapter."""

import os
from dataclasses import dataclass, field
from pathlib import Path

from frappe_stack.adopt.fixture_hooks import parse_entries
from frappe_stack.adopt.hooks_change import HooksChange, hooks_change
from frappe_stack.adopt.shipped_documents import Shipped, Unreadable, read_app
from frappe_stack.blueprint.field_diff import field_changes
from frappe_stack.blueprint.loader import load_document
from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.registry import ADAPTERS, FRAMEWORK_DOCUMENTS
from frappe_stack.export import ExportResult, export


@dataclass(frozen=True)
class AppInfo:
	"""What adopt needs to know of an installed app (the site adapter reads it from Frappe)."""

	name: str
	package: Path  # the app's Python package folder: apps/<app>/<app>
	modules: list[str]  # module folder names (modules.txt, scrubbed)
	fixtures_hook: list  # frappe.get_hooks("fixtures", app_name=...)


@dataclass(frozen=True)
class Skipped:
	doctype: str
	name: str
	where: str  # file and JSON path
	reason: str

	def as_dict(self) -> dict:
		return {"doctype": self.doctype, "name": self.name, "where": self.where, "reason": self.reason}


@dataclass(frozen=True)
class Difference:
	doctype: str
	name: str
	where: str
	changes: list[str]  # what applying the file would change on the site; [] when it is missing there

	def as_dict(self) -> dict:
		return {"doctype": self.doctype, "name": self.name, "where": self.where, "changes": self.changes}


@dataclass
class AdoptResult:
	app: str
	site: str
	export: ExportResult
	baselined: list[Key] = field(default_factory=list)
	differs: list[Difference] = field(default_factory=list)
	not_adopted: list[Skipped] = field(default_factory=list)
	unreadable: list[Unreadable] = field(default_factory=list)
	change: HooksChange | None = None

	def as_dict(self) -> dict:
		return {
			"app": self.app,
			"site": self.site,
			"export": self.export.as_dict(),
			"baselined": [{"doctype": dt, "name": n} for dt, n in self.baselined],
			"differs": [d.as_dict() for d in self.differs],
			"not_adopted": [s.as_dict() for s in self.not_adopted + [_unread(u) for u in self.unreadable]],
			"hooks": self.change.as_dict() if self.change else None,
			"summary": {
				"adopted": sum(len(keys) for keys in self.export.documents.values()),
				"baselined": len(self.baselined),
				"differs": len(self.differs),
				"not_adopted": len(self.not_adopted) + len(self.unreadable),
				"documents_written": 0,
			},
		}

	def text(self) -> str:
		lines = [f"Adopted app {self.app} on site {self.site} into {self.export.directory}"]
		for name, keys in self.export.documents.items():
			lines.append(f"  {name:<28} {len(keys)} document(s)")
		lines.append(
			f"  ledger: {len(self.baselined)} document(s) recorded as applied; no document was written"
		)
		if self.differs:
			lines.append(
				f"  differ from the site ({len(self.differs)}; `frappe-stack plan` shows them, apply writes them):"
			)
			for diff in self.differs:
				lines.append(f"    ~ {diff.doctype} '{diff.name}' ({diff.where})")
				lines += [
					f"        {change}" for change in diff.changes or ["not on the site: apply creates it"]
				]
		skipped = self.not_adopted + [_unread(u) for u in self.unreadable]
		if skipped:
			lines.append(f"  not adopted ({len(skipped)}; they stay the app's):")
			lines += [
				f"    - {s.doctype} '{s.name}' ({s.where}): {s.reason}"
				if s.doctype
				else f"    - {s.where}: {s.reason}"
				for s in skipped
			]
		if self.change:
			lines.append(self.change.text())
		return "\n".join(lines)


def adopt(site, app: AppInfo, path: str | None = None) -> AdoptResult:
	"""Files that cannot be read, hook entries that cannot be evaluated and documents that cannot
	be blueprints are reported and left to the app; blueprints that would not load stop it before
	anything (files or ledger) is written."""
	entries = parse_entries(app.fixtures_hook)
	shipped, unreadable = read_app(app.name, app.package, app.modules)
	candidates, skipped = _candidates(shipped, site.schema)
	keys = sorted(candidates)
	live = site.live(keys)
	differs = [
		Difference(key[0], key[1], _where(candidates[key][1]), _changes(live.get(key), candidates[key][0]))
		for key in keys
		if key not in live or live[key].hash != candidates[key][0].hash
	]
	target = path or site.configured_source()
	inside = target is not None and _inside(Path(target), app.package.parent)
	result = (
		export(
			site,
			path,
			only=keys,
			documents={key: doc.data for key, (doc, _) in candidates.items()},
			label=f"{app.name}:" if inside else "",
			action="adopt",
		)
		if keys
		else ExportResult(str(target or ""))
	)
	folder = os.path.relpath(result.directory, app.package).replace(os.sep, "/") if inside and keys else None
	change = hooks_change(app.name, entries, shipped, set(keys), set(ADAPTERS), folder)
	differing = {(d.doctype, d.name) for d in differs}
	return AdoptResult(
		app.name,
		site.site_name(),
		result,
		baselined=[key for key in keys if key not in differing],
		differs=differs,
		not_adopted=skipped,
		unreadable=unreadable,
		change=change,
	)


def _candidates(shipped: list[Shipped], schema) -> tuple[dict, list[Skipped]]:
	"""The documents that can become blueprint documents (key -> (Document, Shipped)), and why
	the others cannot. A document shipped twice is taken from the file Frappe imports last."""
	found, skipped = {}, []
	for item in shipped:
		doctype, name = item.key
		where = _where(item)
		if doctype not in ADAPTERS:
			skipped.append(Skipped(doctype, name, where, f"{doctype} is not a doctype blueprints support"))
			continue
		if item.key in FRAMEWORK_DOCUMENTS:
			skipped.append(Skipped(doctype, name, where, "Frappe creates it on every site"))
			continue
		doc, errors = load_document(item.document, item.file, item.path, schema)
		if errors:
			reasons = "; ".join(f"{e.message} (fix: {e.fix})" for e in errors)
			skipped.append(Skipped(doctype, name, where, reasons))
			continue
		if item.key in found:
			earlier = found[item.key][1]
			skipped.append(
				Skipped(
					doctype,
					name,
					_where(earlier),
					f"shipped twice: adopted from {item.file}, which Frappe imports after this one",
				)
			)
		found[item.key] = (doc, item)
	return found, skipped


def _changes(live, doc) -> list[str]:
	if live is None:
		return []
	return [change.render(doc.name) for change in field_changes(live.document, doc.data)] or [
		"differs from the site (a value only Frappe keeps)"
	]


def _where(item: Shipped) -> str:
	return f"{item.file} {item.path}"


def _unread(problem: Unreadable) -> Skipped:
	return Skipped("", "", problem.file, problem.problem)


def _inside(target: Path, folder: Path) -> bool:
	target, folder = target.resolve(), folder.resolve()
	return target == folder or folder in target.parents
