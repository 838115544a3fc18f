"""The applier on the in-memory site: where the blueprints come from (path, site config, apps), the
plan/apply/status text and dicts, and convergence on any starting site (property test)."""

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from applier_helpers import failing_repo
from applier_helpers import site as site
from builders import EXAMPLE_REPO, Repo, role
from hypothesis import given, settings
from hypothesis import strategies as st
from memory_site import MemorySite

from frappe_stack import render, stack
from frappe_stack.applier import FAILED
from frappe_stack.blueprint.canonical import content_hash
from frappe_stack.errors import ValidationFailed

# ---- the stack library --------------------------------------------------------------------------


def test_path_beats_the_site_config(repo, tmp_path):
	repo.write("roles", [role("A")])
	site = MemorySite(configured=str(tmp_path / "missing"))
	with pytest.raises(ValidationFailed):
		stack.make_plan(site)
	plan, ledger, desired = stack.make_plan(site, str(repo.root))
	assert [bp.name for bp in desired.blueprints] == ["roles"]
	assert ledger == {}
	assert plan.summary()["create"] == 1


def test_site_config_is_used_without_a_path(repo):
	repo.write("roles", [role("A")])
	site = MemorySite(configured=str(repo.root))
	stack.apply(site)
	assert ("Role", "A") in site.docs


def test_no_blueprint_source(site):
	with pytest.raises(stack.NoBlueprintSource) as excinfo:
		stack.apply(site)
	assert "--path" in str(excinfo.value) and "frappe_stack_blueprints" in str(excinfo.value)
	assert site.log.empty


def test_invalid_repo_writes_nothing(repo):
	repo.write("roles", [role("A")])
	repo.write("broken", [{"doctype": "Nope", "name": "x"}])
	site = MemorySite()
	with pytest.raises(ValidationFailed):
		stack.apply(site, str(repo.root))
	assert site.log.empty and site.docs == {}


def test_app_sources_are_applied_with_the_repo(repo, tmp_path):
	app = Repo(tmp_path / "app")
	app.write("app-roles", [role("App Role")])
	repo.write("roles", [role("A")], depends_on=["app-roles"])
	site = MemorySite(apps=[("my_app", str(app.dir))])
	result = stack.apply(site, str(repo.root))
	assert [r.blueprint for r in result.results] == ["app-roles", "roles"]
	assert site.ledger["app-roles"].source_path == "my_app:blueprints/app-roles.json"


def test_progress_is_called_for_every_blueprint(site):
	seen = []
	stack.apply(
		site, str(EXAMPLE_REPO), progress=lambda index, total, bp: seen.append((index, total, bp.name))
	)
	assert seen == [(1, 2, "field-roles"), (2, 2, "beneficiary")]


# ---- rendering ----------------------------------------------------------------------------------


def test_plan_text_lists_the_changes(site):
	plan, _, _ = stack.make_plan(site, str(EXAMPLE_REPO))
	text = render.plan_text(plan, "memory.test")
	assert "Plan for site memory.test" in text
	assert "+ DocType 'Beneficiary'" in text
	assert "+ Custom Field 'Contact-beneficiary'" in text
	assert "Summary: 12 to create, 0 to update, 0 to delete" in text
	assert "frappe-stack apply" in text


def test_plan_text_when_clean(site):
	stack.apply(site, str(EXAMPLE_REPO))
	plan, _, _ = stack.make_plan(site, str(EXAMPLE_REPO))
	text = render.plan_text(plan, "memory.test")
	assert "Nothing to do." in text
	assert "+ " not in text and "~ " not in text


def test_plan_text_when_only_the_ledger_is_behind_says_no_document_is_written(site, tmp_path):
	copy = Path(shutil.copytree(EXAMPLE_REPO, tmp_path / "repo"))
	stack.apply(site, str(copy))
	file = copy / "blueprints" / "beneficiary.json"
	file.write_text(json.dumps(json.loads(file.read_text()) | {"description": "Who receives aid"}, indent=1))
	plan, _, _ = stack.make_plan(site, str(copy))
	text = render.plan_text(plan, "memory.test")
	assert "ledger will be updated (the site already matches)" in text
	assert "No document to write: the site already matches" in text
	assert "The ledger is behind the files of beneficiary;" in text
	assert "to make these changes" not in text
	# a blueprint whose file went is not "behind" its file
	file.unlink()
	plan, _, _ = stack.make_plan(site, str(copy))
	assert render.plan_text(plan, "memory.test").splitlines()[-1] == (
		"No document to write: the site already matches. The files of beneficiary are gone (their "
		"documents stay on the site); `frappe-stack apply` records that without writing any document."
	)


def test_plan_text_says_apply_would_refuse_when_every_managed_blueprint_is_gone(site, tmp_path):
	stack.apply(site, str(EXAMPLE_REPO))
	elsewhere = tmp_path / "elsewhere"
	(elsewhere / "blueprints").mkdir(parents=True)
	plan, _, _ = stack.make_plan(site, str(elsewhere))
	assert plan.orphans_all_managed and plan.as_dict()["orphans_all_managed"] is True
	last = render.plan_text(plan, "memory.test").splitlines()[-1]
	assert last.startswith("None of the 2 blueprint(s) the ledger manages is in these folders")
	assert "refuses to orphan them all" in last and "--orphan-all" in last
	assert "records that" not in last
	# the repo itself: nothing would be orphaned
	plan, _, _ = stack.make_plan(site, str(EXAMPLE_REPO))
	assert not plan.orphans_all_managed


def test_apply_text_mentions_changed_and_failed_blueprints(repo):
	failing_repo(repo)
	site = MemorySite(fail_on={("DocType", "Ledger Book")})
	text = render.apply_text(stack.apply(site, str(repo.root)), "memory.test")
	assert "+ Role 'Other'" in text
	assert "FAILED: create DocType 'Ledger Book'" in text
	assert "SKIPPED: skipped: needs base" in text
	assert "1 blueprint(s) failed, 3 skipped" in text


def test_status_text(site):
	assert "No blueprint" in render.status_text(stack.status(site), "memory.test")
	stack.apply(site, str(EXAMPLE_REPO))
	text = render.status_text(stack.status(site), "memory.test")
	assert "beneficiary" in text and "Applied" in text


def test_apply_result_as_dict_reports_zero_counts_for_unapplied(repo):
	failing_repo(repo)
	site = MemorySite(fail_on={("DocType", "Ledger Book")})
	blueprints = {b["blueprint"]: b for b in stack.apply(site, str(repo.root)).as_dict()["blueprints"]}
	assert blueprints["base"]["status"] == FAILED and blueprints["base"]["counts"]["create"] == 0
	assert "Ledger Book" in blueprints["base"]["error"]
	assert blueprints["other"]["counts"]["create"] == 1


def test_memory_site_hashes_like_the_core(site):
	site.put(role("A", modified="now"))
	assert site.hash_of(("Role", "A")) == content_hash(role("A"))


# ---- property: law 1 and law 3 on any starting site ---------------------------------------------

names = st.lists(st.sampled_from(["A", "B", "C", "D", "E"]), min_size=1, max_size=5, unique=True)


site_states = st.sampled_from(["absent", "same", "edited", "noise"])


@settings(max_examples=60, deadline=None)
@given(
	wanted=names,
	states=st.dictionaries(st.sampled_from(["A", "B", "C", "D", "E"]), site_states),
	normalizes=st.booleans(),
)
def test_apply_converges_and_then_writes_nothing(wanted, states, normalizes):
	existing = []
	for name, state in states.items():
		if state == "same":
			existing.append(role(name))
		elif state == "edited":
			existing.append(role(name, desk_access=1))
		elif state == "noise":
			existing.append(role(name, modified="2024-01-01", owner="x", docstatus=0))
	site = MemorySite(existing, normalize=(lambda doc: doc | {"search_bar": 1}) if normalizes else None)
	with tempfile.TemporaryDirectory() as folder:
		repo = Repo(Path(folder))
		repo.write("roles", [role(name) for name in wanted])
		first = stack.apply(site, str(repo.root))
		assert not first.failed
		assert all(("Role", name) in site.docs for name in wanted)
		plan, _, _ = stack.make_plan(site, str(repo.root))
		assert not plan.has_changes
		site.reset_log()
		stack.apply(site, str(repo.root))
		assert site.log.empty


def test_a_document_missing_after_its_write_fails_the_blueprint_and_rolls_it_back(site, repo):
	repo.write("roles", [role("Stack Test Vanishing"), role("Stack Test Kept")])
	site.vanish = {("Role", "Stack Test Vanishing")}
	result = stack.apply(site, str(repo.root))
	(outcome,) = result.results
	assert outcome.status == "failed"
	assert "not on the site after writing: Role 'Stack Test Vanishing'" in outcome.error
	assert ("Role", "Stack Test Kept") not in site.docs
	assert site.ledger["roles"].status == "Failed"
