"""The library behind the commands and the migrate hook: load, plan, apply, status.

It takes any object with the site adapter's methods, so it runs the same on a real site and on
the in-memory site of the pure tests.
"""

from collections.abc import Callable

from frappe_stack.applier import ApplyResult, apply_plan
from frappe_stack.blueprint.validate import BlueprintSet, load_blueprint_set
from frappe_stack.errors import StackError
from frappe_stack.ledger import LedgerEntry
from frappe_stack.plan import BlueprintPlan, Plan, compare
from frappe_stack.sources import git_commit, resolve_sources


class NoBlueprintSource(StackError):
	def __init__(self):
		super().__init__(
			"no blueprints configured: pass --path DIR, or set the site config key frappe_stack_blueprints "
			"(bench --site SITE set-config frappe_stack_blueprints /path/to/config-repo)"
		)


def load_desired(site, path: str | None = None) -> BlueprintSet:
	sources = resolve_sources(site, path)
	if not sources:
		raise NoBlueprintSource()
	return load_blueprint_set(sources, schema=site.schema)


def make_plan(site, path: str | None = None) -> tuple[Plan, dict[str, LedgerEntry], BlueprintSet]:
	desired = load_desired(site, path)
	ledger = site.read_ledger()
	keys = [doc.key for bp in desired.blueprints for doc in bp.documents]
	keys += [key for bp in desired.blueprints for key in bp.deletes]
	return compare(desired, ledger, site.live_hashes(keys)), ledger, desired


def apply(
	site, path: str | None = None, progress: Callable[[int, int, BlueprintPlan], None] | None = None
) -> ApplyResult:
	plan, ledger, desired = make_plan(site, path)
	commit = git_commit(desired.sources[0].blueprint_dir) if desired.sources else None
	return apply_plan(plan, site, ledger, commit, progress)


def status(site) -> list[LedgerEntry]:
	return sorted(site.read_ledger().values(), key=lambda entry: entry.blueprint)
