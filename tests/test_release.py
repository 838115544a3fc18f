"""The release `ship` makes, without a site: the refusals (every reason at once), the changelog entry
from the shipped promotions' rows, and publishing on real git repositories (a clone in tmp_path
whose remote `origin` is a bare repository next to it)."""

import shutil
from datetime import date

import pytest
from builders import clone, commit_all, git

from frappe_stack.config import Settings
from frappe_stack.errors import StackError
from frappe_stack.promote import changelog
from frappe_stack.promote.release import (
	ShipResult,
	changelog_refusal,
	changes_of,
	entry_of,
	last_promotion_refusal,
	publish,
	repo_refusals,
	web_url,
)
from frappe_stack.promote.semver import parse
from frappe_stack.promote.summary import BlueprintChange

DAY = date(2026, 11, 24)
SETTINGS = Settings()
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def promotion(name, status="Deployed", *rows, **values):
	return {"name": name, "status": status, "label": name.lower(), "blueprints": list(rows), **values}


def row(blueprint, action, documents=1, detail=""):
	return {"blueprint": blueprint, "action": action, "documents": documents, "detail": detail}


# ---- the last promotion ------------------------------------------------------------------------


def test_a_deployed_last_promotion_allows_the_release():
	assert last_promotion_refusal(promotion("PROMO-2026-0003"), "erp") is None


@pytest.mark.parametrize(
	"status, fix",
	[
		(
			"Rolled Back",
			"merge the pull request of its revert branch revert/PROMO-2026-0003 (if none is open: gh pr create --head revert/PROMO-2026-0003 --fill), or of a fix; deploy that, then ship",
		),
		("Failed", "see its journal (/app/promotion/PROMO-2026-0003)"),
		("PR Open", "merge its pull request and deploy it, then ship"),
		("Merged", "merge its pull request and deploy it, then ship"),
		("Deploying", "resume it: bench --site erp frappe-stack deploy --promotion PROMO-2026-0003"),
		("Shipped", "nothing was deployed since the last release"),
	],
)
def test_any_other_last_promotion_refuses_with_its_fix(status, fix):
	reason = last_promotion_refusal(promotion("PROMO-2026-0003", status), "erp")
	assert reason.startswith(
		f"the last promotion PROMO-2026-0003 (promo-2026-0003) is {status}, not Deployed; fix: "
	)
	assert fix in reason


def test_no_promotion_at_all_refuses():
	assert last_promotion_refusal(None, "erp") == (
		"no promotion has reached erp; fix: deploy one there "
		"(bench --site erp frappe-stack deploy --promotion ID), then ship"
	)


# ---- the entry ---------------------------------------------------------------------------------


def test_one_change_per_blueprint_for_the_whole_release():
	records = [
		promotion("P1", "Deployed", row("beneficiary", "added", 12, "12 new"), row("old", "changed", 2)),
		promotion("P2", "Deployed", row("beneficiary", "changed", 1, "1 changed"), row("old", "removed", 3)),
		promotion("P3", "Deployed", row("draft", "added", 1), row("legacy", "removed", 4, "4 deleted")),
		promotion("P4", "Deployed", row("draft", "removed", 1), row("legacy", "added", 5, "5 new")),
	]
	assert changes_of(records) == [
		BlueprintChange("beneficiary", "added", 12, "12 new; then 1 changed"),
		BlueprintChange("old", "removed", 3),
		# draft came and went within the release; legacy was there before and is there after
		BlueprintChange("legacy", "changed", 5, "4 deleted; then 5 new"),
	]


def test_the_same_detail_twice_is_said_once():
	records = [promotion(n, "Deployed", row("x", "changed", 1, "1 changed (DocType X)")) for n in ("A", "B")]
	assert changes_of(records) == [BlueprintChange("x", "changed", 1, "1 changed (DocType X)")]


def test_entry_from_the_promotions():
	records = [
		promotion(
			"PROMO-2026-0001",
			"Deployed",
			row("beneficiary", "changed", 1, "1 changed (DocType Beneficiary)"),
			label="sprint-15-beneficiary",
			pr_number=7,
			pr_url="https://github.com/acme/erp-config/pull/7",
			emergency=0,
			emergency_reason="left from a re-run without --emergency",
		),
		promotion(
			"PROMO-2026-0002",
			"Deployed",
			row("payroll", "added", 3),
			label="payroll",
			pr_number=0,
			emergency=1,
			emergency_reason="payroll run tonight",
		),
	]
	assert entry_of(parse("v0.1.0"), DAY, records).text == (
		"## [0.1.0] - 2026-11-24\n"
		"\n"
		"### Added\n"
		"\n"
		"- **payroll** (3 documents)\n"
		"\n"
		"### Changed\n"
		"\n"
		"- **beneficiary** (1 document): 1 changed (DocType Beneficiary)\n"
		"\n"
		"### Promotions\n"
		"\n"
		"- PROMO-2026-0001 sprint-15-beneficiary ([#7](https://github.com/acme/erp-config/pull/7))\n"
		"- PROMO-2026-0002 payroll, emergency: payroll run tonight\n"
	)


@pytest.mark.parametrize(
	"repo, api, url",
	[
		(None, "https://api.github.com", None),
		("acme/erp-config", "https://api.github.com", "https://github.com/acme/erp-config"),
		("acme/erp-config", "https://git.acme.com/api/v3", "https://git.acme.com/acme/erp-config"),
		("acme/erp-config", "http://127.0.0.1:8123", None),
	],
)
def test_web_url(repo, api, url):
	assert web_url(Settings(github_repo=repo, github_api=api)) == url


# ---- the config repo ---------------------------------------------------------------------------


def someone_else_pushes(remote, tmp_path):
	other = clone(remote, tmp_path / "other")
	(other / "other.txt").write_text("theirs\n")
	commit_all(other, "commit from other")
	git(other, "push", "--quiet", "origin", "main")


@needs_git
def test_a_clean_up_to_date_main_allows_the_first_release(work):
	assert repo_refusals(work, SETTINGS, "v0.1.0") == ([], None)


@needs_git
def test_the_version_must_be_semver_and_greater_than_the_last_tag(work):
	git(work, "tag", "v0.1.0")
	git(work, "push", "--quiet", "origin", "v0.1.0")
	assert repo_refusals(work, SETTINGS, "v0.2.0") == ([], "v0.1.0")
	reasons, previous = repo_refusals(work, SETTINGS, "v0.1.0")
	assert previous == "v0.1.0"
	assert reasons == [
		"v0.1.0 is not greater than the last tag v0.1.0; fix: use a greater version, like v0.1.1 or v0.2.0 or v1.0.0"
	]
	reasons, _ = repo_refusals(work, SETTINGS, "0.2")
	assert reasons == ["'0.2' is not a semantic version; fix: write it as vMAJOR.MINOR.PATCH, like v0.1.1"]


@needs_git
def test_a_tag_shipped_from_another_clone_counts(work, remote, tmp_path):
	other = clone(remote, tmp_path / "other")
	git(other, "tag", "v1.0.0")
	git(other, "push", "--quiet", "origin", "v1.0.0")
	reasons, previous = repo_refusals(work, SETTINGS, "v0.2.0")
	assert previous == "v1.0.0"
	assert reasons[0].startswith("v0.2.0 is not greater than the last tag v1.0.0")


@needs_git
def test_every_reason_is_listed_at_once(work, remote, tmp_path):
	someone_else_pushes(remote, tmp_path)
	git(work, "switch", "--quiet", "-c", "feature")
	(work / "notes.txt").write_text("draft\n")
	reasons, _ = repo_refusals(work, SETTINGS, "1.2")
	assert len(reasons) == 4, reasons
	assert reasons[0].startswith("'1.2' is not a semantic version")
	assert (
		reasons[1]
		== f"{work}: branch feature is checked out, not main; fix: git switch main (releases are made on main)"
	)
	assert reasons[2].startswith(f"{work} has changes not committed: notes.txt; fix: ")
	assert (
		reasons[3] == f"{work}: main is 1 commit(s) behind origin/main; fix: git pull --ff-only origin main"
	)


@needs_git
def test_a_folder_that_is_not_a_checkout_says_only_that(tmp_path):
	reasons, previous = repo_refusals(tmp_path, SETTINGS, "v0.1.0")
	assert previous is None
	assert len(reasons) == 1 and "no commit checked out" in reasons[0]


def test_an_entry_for_the_version_already_there_refuses(tmp_path):
	entry = entry_of(parse("v0.1.0"), DAY, [])
	assert changelog_refusal(tmp_path, entry) is None
	changelog.write(tmp_path / changelog.FILE, entry)
	assert changelog_refusal(tmp_path, entry).startswith("CHANGELOG.md already has an entry for 0.1.0; fix: ")


# ---- publishing --------------------------------------------------------------------------------


@needs_git
def test_publish_commits_tags_and_pushes_branch_and_tag(work, remote):
	git(work, "tag", "-a", "-m", "first", "v0.1.0")
	git(work, "push", "--quiet", "origin", "v0.1.0")
	entry = entry_of(parse("v0.2.0"), DAY, [promotion("P1", "Deployed", row("beneficiary", "changed"))])
	settings = Settings(github_repo="acme/erp-config")
	sha = publish(work, settings, entry, "v0.1.0")

	assert git(work, "rev-parse", "HEAD") == sha == git(remote, "rev-parse", "main")
	assert git(remote, "rev-parse", "v0.2.0^{commit}") == sha
	assert git(work, "cat-file", "-t", "v0.2.0") == "tag"  # annotated
	assert git(work, "log", "-1", "--format=%s", sha) == "Release v0.2.0"
	assert git(work, "show", "--name-only", "--format=", sha) == "CHANGELOG.md"
	message = git(work, "tag", "--list", "--format=%(contents)", "v0.2.0")
	assert message == f"Release v0.2.0\n\n{changelog.release_notes(entry)}".strip()
	text = (work / "CHANGELOG.md").read_text()
	assert entry.text in text
	assert text.endswith(
		"[unreleased]: https://github.com/acme/erp-config/compare/v0.2.0...HEAD\n"
		"[0.2.0]: https://github.com/acme/erp-config/compare/v0.1.0...v0.2.0\n"
	)
	assert git(work, "status", "--porcelain") == ""


@needs_git
def test_a_rejected_push_says_how_to_undo_the_local_release(work, remote, tmp_path):
	someone_else_pushes(remote, tmp_path)  # after the checks, before the push
	entry = entry_of(parse("v0.1.0"), DAY, [])
	before = git(remote, "rev-parse", "main")
	with pytest.raises(StackError) as raised:
		publish(work, SETTINGS, entry, None)
	assert "git push of main to origin failed" in str(raised.value)
	assert str(raised.value).endswith(
		"(nothing was pushed; to run ship again, first undo the local release: "
		"git tag --delete v0.1.0; git reset --keep HEAD~1)"
	)
	assert git(remote, "rev-parse", "main") == before
	assert git(remote, "tag", "--list") == ""
	git(work, "tag", "--delete", "v0.1.0")
	git(work, "reset", "--quiet", "--keep", "HEAD~1")
	assert not (work / "CHANGELOG.md").exists()


@needs_git
def test_a_failed_commit_leaves_the_checkout_as_it_was(work):
	(work / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
	commit_all(work, "changelog")
	hook = work / ".git" / "hooks" / "pre-commit"
	hook.write_text("#!/bin/sh\necho 'no commits today' >&2\nexit 1\n")
	hook.chmod(0o755)
	with pytest.raises(StackError, match="git commit failed: no commits today"):
		publish(work, SETTINGS, entry_of(parse("v0.1.0"), DAY, []), None)
	assert (work / "CHANGELOG.md").read_text() == "# Changelog\n\n## [Unreleased]\n"
	assert git(work, "status", "--porcelain") == ""
	assert git(work, "tag", "--list") == ""


# ---- the result --------------------------------------------------------------------------------


def test_a_refusal_lists_every_reason():
	result = ShipResult("erp", "1.2", reasons=["first; fix: a", "second; fix: b"])
	assert result.refused
	assert result.text() == (
		"Ship 1.2 refused on erp; nothing was written or pushed:\n  - first; fix: a\n  - second; fix: b"
	)
	assert result.as_dict()["reasons"] == ["first; fix: a", "second; fix: b"]


def test_a_shipped_release_says_what_was_done():
	entry = entry_of(parse("v0.1.0"), DAY, [promotion("P1", "Deployed", row("beneficiary", "changed"))])
	result = ShipResult(
		"erp",
		"v0.1.0",
		tag="v0.1.0",
		branch="main",
		remote="origin",
		commit="1a2b3c4d5e6f7a8b",
		changelog=entry.text,
		promotions=["P1"],
		release_url="https://github.com/acme/erp-config/releases/tag/v0.1.0",
		slack="failed",
		slack_error="Slack webhook at hooks.slack.com: answered 404 no_service",
	)
	assert not result.refused
	assert result.text() == (
		"Shipped v0.1.0 from erp (the first release)\n"
		"  commit   1a2b3c4d5e6f Release v0.1.0 on main, pushed to origin\n"
		"  tag      v0.1.0 (annotated), pushed to origin\n"
		"  shipped  P1\n"
		"  GitHub release: https://github.com/acme/erp-config/releases/tag/v0.1.0\n"
		"  Slack: failed, Slack webhook at hooks.slack.com: answered 404 no_service (the release stands)\n"
		"\n"
		"CHANGELOG.md:\n" + entry.text.rstrip("\n")
	)


def test_a_blueprint_added_then_changed_reads_as_one_history_with_its_count_first():
	records = [
		promotion("P1", "Deployed", row("beneficiary", "added", 9, "9 new (DocType Beneficiary, ...)")),
		promotion("P2", "Deployed", row("beneficiary", "changed", 1, "1 changed (DocType Beneficiary)")),
	]
	entry = entry_of(parse("0.1.0"), date(2026, 11, 22), records)
	assert (
		"- **beneficiary** (9 documents): 9 new (DocType Beneficiary, ...); then 1 changed (DocType Beneficiary)\n"
		in entry.text
	)
