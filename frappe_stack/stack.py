"""The library behind the commands and the migrate hook: plan, apply, status, export, diff, review.

It takes any object with the site adapter's methods, so it runs the same on a real site and on
the in-memory site of the pure tests.
"""

import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from frappe_stack import unchanged
from frappe_stack.applier import ApplyResult, apply_plan
from frappe_stack.blueprint.live import LiveDoc
from frappe_stack.blueprint.loader import Source
from frappe_stack.blueprint.model import Key
from frappe_stack.blueprint.validate import BlueprintSet, load_for_site
from frappe_stack.change_base import ChangeBase, change_start, nothing_to_examine
from frappe_stack.diff import Diff, build_diff
from frappe_stack.document_owners import shared_owners
from frappe_stack.drift import follow_drift, keeps_ledger, watched_documents
from frappe_stack.errors import StackError
from frappe_stack.export import export  # noqa: F401 (the library's export, beside plan and diff)
from frappe_stack.ledger import LedgerEntry
from frappe_stack.plan import BlueprintPlan, Plan, compare
from frappe_stack.remote_facts import RemoteFacts
from frappe_stack.review.change import compute_change
from frappe_stack.review.engine import review as run_review
from frappe_stack.review.findings import Report
from frappe_stack.smoke_plan import SmokeReport, smoke_targets
from frappe_stack.sources import blueprints_at, git_commit, repo_label, resolve_sources
from frappe_stack.statuses import LedgerStatus


class NoBlueprintSource(StackError):
	def __init__(self):
		super().__init__(
			"no blueprints configured: pass --path DIR, or set the site config key frappe_stack_blueprints "
			"(bench --site SITE set-config frappe_stack_blueprints /path/to/config-repo)"
		)


class WouldOrphanEverything(StackError):
	"""No blueprint the ledger manages is in the blueprint folders: most likely a wrong --path or
	frappe_stack_blueprints, which would otherwise mark every one of them Orphaned."""

	def __init__(self, sources: list[Source], managed: list[LedgerEntry]):
		folders = ", ".join(str(source.blueprint_dir) for source in sources)
		shown = ", ".join(f"{entry.blueprint} ({entry.source_path})" for entry in managed[:3])
		more = f" and {len(managed) - 3} more" if len(managed) > 3 else ""
		super().__init__(
			f"none of the {len(managed)} blueprint(s) the ledger manages is in {folders}: applying would "
			f"mark every one of them Orphaned (their documents would stay, unmanaged). They are {shown}"
			f"{more}. Fix: point --path or the site config key frappe_stack_blueprints at the config "
			"repo's checkout; to stop managing them all on purpose, apply once with --orphan-all"
		)


def _sources(site, path: str | None) -> list[Source]:
	sources = resolve_sources(site, path)
	if not sources:
		raise NoBlueprintSource()
	return sources


def config_root(site, path: str | None = None) -> Path:
	"""The config repo: the folder holding blueprints/ and frappe-stack.toml."""
	return _sources(site, path)[0].blueprint_dir.parent


def load_desired(site, path: str | None = None) -> BlueprintSet:
	return load_for_site(site, _sources(site, path))


def make_plan(site, path: str | None = None) -> tuple[Plan, dict[str, LedgerEntry], BlueprintSet]:
	desired = load_desired(site, path)
	plan, ledger, _ = _compare(site, desired)
	return plan, ledger, desired


def _compare(
	site,
	desired: BlueprintSet,
	watch_drift: bool = False,
	ledger: dict[str, LedgerEntry] | None = None,
	settled: set[str] = frozenset(),
) -> tuple[Plan, dict[str, LedgerEntry], dict[Key, LiveDoc]]:
	"""The plan, the ledger (read here unless given) and the live documents; with `watch_drift`,
	those of every blueprint the ledger holds as applied too, which may have left the repo since.
	The documents of `settled` blueprints, unchanged since the last clean apply (unchanged.check),
	are not read: they are on the site as the ledger recorded them."""
	ledger = site.read_ledger() if ledger is None else ledger
	reading = [bp for bp in desired.blueprints if bp.name not in settled]
	keys = [doc.key for bp in reading for doc in bp.documents]
	keys += [key for bp in reading for key in bp.deletes]
	if watch_drift:
		keys += watched_documents(ledger)
	live = site.live(list(dict.fromkeys(keys)))
	known = {
		key: doc.applied_hash
		for name in settled
		if name in ledger
		for key, doc in ledger[name].documents.items()
	}
	plan = compare(desired, ledger, known | _hashes(live))
	plan.shared = shared_owners(desired, site.shipped_documents())
	return plan, ledger, live


def _hashes(live: dict[Key, LiveDoc]) -> dict[Key, str]:
	return {key: doc.hash for key, doc in live.items()}


def diff(site, path: str | None = None, ref: str | None = None, desired: BlueprintSet | None = None) -> Diff:
	"""Three-way: the repo (working tree, or `ref`), the ledger and the live site. `desired`: the
	working tree's blueprints when the caller has loaded them already. Blueprints whose documents
	drifted on the site since their last apply become Drifted in the ledger (see drift)."""
	sources = list(desired.sources) if desired else _sources(site, path)
	label = repo_label(sources[0].blueprint_dir, ref)
	with tempfile.TemporaryDirectory(prefix="frappe_stack_ref_") as scratch:
		if ref:
			sources[0] = blueprints_at(sources[0], ref, Path(scratch))
		if desired is None or ref:
			desired = load_for_site(site, sources)
		plan, ledger, live = _compare(site, desired, watch_drift=True)
	discovered = set(site.customizations())
	owners = {key: name for name, entry in ledger.items() for key in entry.documents}
	documents = {key: doc.document for key, doc in live.items()}
	result = build_diff(plan, documents, discovered, owners, site.site_name(), label)
	changes = follow_drift(site, ledger, _hashes(live))
	if keeps_ledger(site):  # else nothing was recorded, and the text says nothing of the ledger
		result.ledger = changes
	return result


def base_and_head(
	site, path: str | None, since: str | None, references: bool = False
) -> tuple[BlueprintSet | None, BlueprintSet, Path, str]:
	"""The blueprints at `since` (default: the merge base with the base branch's remote head, see
	change_base) and in the working tree, the config repo root file names are relative to, and what
	the user reads as the base ("merge base with origin/main (1a2b3c4d5e6f)").
	`references`: the working tree's references are judged too (as `diff` and `apply` judge them)."""
	sources = _sources(site, path)
	head = load_for_site(site, sources, references=references)
	start = ChangeBase(since, since) if since else change_start(sources[0].blueprint_dir)
	base_ref = start.ref
	base = None
	if base_ref:
		with tempfile.TemporaryDirectory(prefix="frappe_stack_base_") as scratch:
			at_base = [blueprints_at(sources[0], base_ref, Path(scratch)), *sources[1:]]
			base = load_for_site(site, at_base, references=False)
	return base, head, sources[0].blueprint_dir.parent, start.label


def review(
	site, path: str | None = None, since: str | None = None, blueprint: str | None = None
) -> tuple[Report, Path]:
	"""Rules over the change since `since`, with the site's facts for data impact. Returns the
	report and the config repo root its file names are relative to."""
	base, head, root, label = base_and_head(site, path, since)
	facts = site.facts()
	run = partial(run_review, base, head, facts, blueprint, label)
	# a remote site's facts come in batches: the review runs in passes until it has every answer
	return (facts.settle(run) if isinstance(facts, RemoteFacts) else run()), root


def smoke(site, path: str | None = None, since: str | None = None) -> SmokeReport:
	"""Smoke tests of what the change since `since` touches, rolled back on the site; none, and a
	line saying so, when nothing changed."""
	base, head, _, label = base_and_head(site, path, since)
	change = compute_change(base, head)
	if not change.docs:
		return SmokeReport(nothing=nothing_to_examine(label))
	return site.smoke(smoke_targets(change))


def apply(
	site,
	path: str | None = None,
	progress: Callable[[int, int, BlueprintPlan], None] | None = None,
	full: bool = False,
	orphan_all: bool = False,
) -> ApplyResult:
	"""`full`: read and compare everything even when the fingerprint says nothing changed since
	the last clean apply (see unchanged). `orphan_all`: go on when the plan would orphan every
	blueprint the ledger manages (see WouldOrphanEverything)."""
	sources = _sources(site, path)
	ledger = site.read_ledger()
	check = unchanged.Check() if full else unchanged.check(site, sources, ledger)
	if check.result is not None:
		return check.result
	desired = load_for_site(site, sources)
	plan, _, _ = _compare(site, desired, ledger=ledger, settled=check.settled)
	if plan.orphans_all_managed and not orphan_all:
		managed = [entry for entry in ledger.values() if entry.status != LedgerStatus.ORPHANED]
		raise WouldOrphanEverything(sources, sorted(managed, key=lambda entry: entry.blueprint))
	commit = git_commit(desired.sources[0].blueprint_dir) if desired.sources else None
	result = apply_plan(plan, site, ledger, commit, progress)
	result.shared = plan.shared
	unchanged.record(site, sources, result)
	return result


def status(site, live: bool = False) -> list[LedgerEntry]:
	"""The ledger; with `live`, after setting Applied and Drifted blueprints to what their documents
	on the site show (see drift)."""
	ledger = site.read_ledger()
	if live:
		follow_drift(site, ledger, _hashes(site.live(watched_documents(ledger))))
	return sorted(ledger.values(), key=lambda entry: entry.blueprint)
