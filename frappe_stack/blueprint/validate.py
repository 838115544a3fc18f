"""Rules across blueprint files (law 5): identities are unique, dependencies exist and do not
loop. Together with the per-file checks in loader.py this runs before any write."""

from pathlib import Path

from frappe_stack.blueprint.doctype_rules import DoctypeLookup, frappe_refusals
from frappe_stack.blueprint.loader import SchemaLookup, Source, load_files
from frappe_stack.blueprint.model import Blueprint
from frappe_stack.blueprint.order import blueprint_edges, find_cycle, order_documents, topological
from frappe_stack.blueprint.reference_rules import ExistingLookup, missing_references
from frappe_stack.blueprint.set_schema import with_custom_fields
from frappe_stack.errors import BlueprintError, ValidationFailed


class BlueprintSet:
	"""A validated set of blueprints, in apply order."""

	def __init__(self, sources: list[Source], blueprints: list[Blueprint], needs: dict[str, list[str]]):
		self.sources = sources
		self.blueprints = blueprints
		self.needs = needs

	def by_name(self) -> dict[str, Blueprint]:
		return {bp.name: bp for bp in self.blueprints}


def load_for_site(site, sources: list[Source], references: bool = True) -> BlueprintSet:
	"""The sources read against a site: its schemas, and which DocTypes and documents it has (a
	remote site does not say, so references to documents outside the set are then not judged).
	`references=False` leaves references to what exists nowhere to the caller: review reports
	them as findings of a change rather than refusing to look at it."""
	return load_blueprint_set(
		sources,
		schema=site.schema,
		doctypes=getattr(site, "doctype_tables", None) if references else None,
		existing=getattr(site, "existing", None) if references else None,
	)


def load_blueprint_set(
	sources: list[Source] | str | Path,
	schema: SchemaLookup | None = None,
	doctypes: DoctypeLookup | None = None,
	existing: ExistingLookup | None = None,
) -> BlueprintSet:
	"""Load, validate and order every blueprint of the sources; raise ValidationFailed listing all problems."""
	if isinstance(sources, str | Path):
		sources = [Source(Path(sources))]
	if schema is not None:
		schema = with_custom_fields(schema, sources)
	blueprints, errors = [], []
	for source in sources:
		if not source.blueprint_dir.is_dir():
			what = (
				"a file, not a blueprint folder"
				if source.blueprint_dir.is_file()
				else "no such blueprint folder"
			)
			errors.append(
				BlueprintError(
					str(source.directory),
					"$",
					what,
					"pass --path DIR pointing at a config repo or its blueprints/ folder",
				)
			)
			continue
		found, file_errors = load_files(source, schema)
		blueprints += found
		errors += file_errors
	# a blueprint whose file did not load is reported there; blueprints needing it are not "missing"
	unloaded = {Path(e.file).stem for e in errors}
	errors += _identity_errors(blueprints) + _dependency_errors(blueprints, unloaded)
	errors += frappe_refusals(blueprints, doctypes) + missing_references(blueprints, existing)
	if errors:
		raise ValidationFailed(errors)

	edges = blueprint_edges(blueprints)
	ordered, left = topological(edges, needs=lambda n: edges[n], tie=lambda n: n)
	if left:
		cycle = find_cycle(left, lambda n: edges[n])
		steps = "; ".join(f"{a} needs {b} ({edges[a][b]})" for a, b in zip(cycle, cycle[1:], strict=False))
		by_name = {bp.name: bp for bp in blueprints}
		raise ValidationFailed(
			[
				BlueprintError(
					by_name[cycle[0]].file,
					"$.depends_on",
					f"dependency cycle {' -> '.join(cycle)}: {steps}",
					"break the cycle: move the shared documents into one blueprint or drop a depends_on",
				)
			]
		)
	by_name = {bp.name: bp for bp in blueprints}
	result = []
	for name in ordered:
		bp = by_name[name]
		bp.apply_order = order_documents(bp.documents)
		result.append(bp)
	return BlueprintSet(sources, result, {name: sorted(deps) for name, deps in edges.items()})


def _identity_errors(blueprints: list[Blueprint]) -> list[BlueprintError]:
	errors, seen, files = [], {}, {}
	for bp in blueprints:
		if bp.name in files:
			errors.append(
				BlueprintError(
					bp.file,
					"$.blueprint",
					f"blueprint '{bp.name}' is also {files[bp.name]}",
					"give each blueprint its own name",
				)
			)
		files.setdefault(bp.name, bp.file)
	for bp in blueprints:
		for doc in bp.documents:
			first = seen.get(doc.key)
			if first is not None:
				errors.append(
					BlueprintError(
						bp.file,
						doc.path,
						f"{doc.doctype} '{doc.name}' is also defined in {first[0]} at {first[1]}",
						"keep the document in exactly one blueprint",
					)
				)
			else:
				seen[doc.key] = (bp.file, doc.path)
	deleted = {}
	for bp in blueprints:
		for index, key in enumerate(bp.deletes):
			path = f"$.delete[{index}]"
			if key in seen:
				errors.append(
					BlueprintError(
						bp.file,
						path,
						f"{key[0]} '{key[1]}' is deleted here but defined in {seen[key][0]} at {seen[key][1]}",
						"remove the tombstone or the definition",
					)
				)
			elif key in deleted:
				# a second delete of the same document would fail at apply time, after other writes
				errors.append(
					BlueprintError(
						bp.file,
						path,
						f"{key[0]} '{key[1]}' is also deleted in {deleted[key][0]} at {deleted[key][1]}",
						"keep the tombstone in exactly one blueprint",
					)
				)
			else:
				deleted[key] = (bp.file, path)
	return errors


def _dependency_errors(blueprints: list[Blueprint], unloaded: set[str]) -> list[BlueprintError]:
	names = {bp.name for bp in blueprints}
	errors = []
	for bp in blueprints:
		for index, dep in enumerate(bp.depends_on):
			if dep == bp.name:
				errors.append(
					BlueprintError(
						bp.file,
						f"$.depends_on[{index}]",
						"a blueprint cannot depend on itself",
						f"remove '{dep}'",
					)
				)
			elif dep not in names and dep not in unloaded:
				errors.append(
					BlueprintError(
						bp.file,
						f"$.depends_on[{index}]",
						f"depends on '{dep}', which is not a blueprint here",
						f"add blueprints/{dep}.json or remove '{dep}' from depends_on",
					)
				)
	return errors
