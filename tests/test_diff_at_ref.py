"""diff --ref: the config repo as committed at a git ref, against the in-memory site."""

import shutil
import subprocess

import pytest
from builders import Repo, commit_all, custom_field, git, role
from diff_helpers import beneficiary, diff, summary_of, write_repo
from diff_helpers import site as site
from memory_site import MemorySite

from frappe_stack import stack
from frappe_stack.errors import StackError

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


# ---- --ref: the repo as it is at a git ref ----------------------------------------------------------


@pytest.fixture
def checkout(repo) -> Repo:
	"""The repo as a git checkout with one commit holding beneficiary (age Int) and people."""
	write_repo(repo)
	git(repo.root, "init", "-q")
	commit_all(repo.root, "first")
	return repo


def short_head(repo: Repo, ref: str = "HEAD") -> str:
	return git(repo.root, "rev-parse", "--short", ref)


@needs_git
def test_ref_compares_the_committed_version_not_the_working_tree(checkout):
	site = MemorySite()
	stack.apply(site, str(checkout.root))
	checkout.write("beneficiary", [beneficiary("Data")])
	edited = checkout.bytes("beneficiary")
	working = diff(site, checkout)
	assert [(i.name, i.tag) for i in working.changed] == [("Beneficiary", "pending")]
	assert working.repo == f"{git(checkout.root, 'rev-parse', '--abbrev-ref', 'HEAD')}@{short_head(checkout)}"

	at_head = diff(site, checkout, ref="HEAD")
	assert at_head.is_clean, at_head.text()
	assert at_head.repo == f"HEAD@{short_head(checkout)}"
	assert at_head.text().startswith(f"Diff: site=memory.test  vs  config-repo=HEAD@{short_head(checkout)}\n")
	assert checkout.bytes("beneficiary") == edited  # the working tree is left alone
	assert git(checkout.root, "status", "--porcelain") == "M blueprints/beneficiary.json"


@needs_git
def test_ref_of_an_earlier_commit(checkout):
	first = short_head(checkout)
	checkout.write("people", [role("Officer"), role("Clerk")])
	checkout.write("contact", [custom_field("Contact", "beneficiary")])
	commit_all(checkout.root, "second")
	site = MemorySite()
	stack.apply(site, str(checkout.root))
	assert diff(site, checkout).is_clean
	result = diff(site, checkout, ref="HEAD~1")
	assert result.repo == f"HEAD~1@{first}"
	assert [summary_of(i) for i in result.only_on_site] == [
		("Custom Field", "Contact-beneficiary", "contact", "unmanaged", None),
		("Role", "Clerk", "people", "unmanaged", None),
	]
	assert result.only_in_git == [] and result.changed == []
	# and by sha
	sha = git(checkout.root, "rev-parse", "HEAD~1")
	assert diff(site, checkout, ref=sha).as_dict()["only_on_site"] == result.as_dict()["only_on_site"]


@needs_git
def test_ref_sees_committed_files_only(checkout):
	site = MemorySite()
	stack.apply(site, str(checkout.root))
	checkout.remove("people")  # deleted in the working tree, still committed
	checkout.write("extra", [role("Clerk")])  # new, not committed
	working = diff(site, checkout)
	assert [i.name for i in working.only_in_git] == ["Clerk"]
	assert [i.name for i in working.only_on_site] == ["Officer"]
	assert diff(site, checkout, ref="HEAD").is_clean


@needs_git
def test_ref_through_the_blueprints_folder_path(checkout):
	site = MemorySite()
	stack.apply(site, str(checkout.root))
	checkout.write("beneficiary", [beneficiary("Data")])
	assert not stack.diff(site, str(checkout.dir)).is_clean
	assert stack.diff(site, str(checkout.dir), "HEAD").is_clean


@needs_git
def test_ref_of_a_config_repo_inside_a_larger_checkout(tmp_path):
	monorepo = tmp_path / "mono"
	repo = Repo(monorepo / "ops" / "config-repo")
	write_repo(repo)
	git(monorepo, "init", "-q")
	commit_all(monorepo, "first")
	site = MemorySite()
	stack.apply(site, str(repo.root))
	repo.write("beneficiary", [beneficiary("Data")])
	assert stack.diff(site, str(repo.root), "HEAD").is_clean
	assert not stack.diff(site, str(repo.root)).is_clean


@needs_git
def test_an_unknown_ref_is_an_error_naming_it(checkout):
	site = MemorySite()
	with pytest.raises(StackError, match="no-such-branch") as excinfo:
		diff(site, checkout, ref="no-such-branch")
	assert "unknown git ref" in str(excinfo.value)
	assert site.log.empty


@needs_git
def test_ref_outside_git_is_an_error(repo):
	write_repo(repo)
	outside = subprocess.run(
		["git", "-C", str(repo.root), "rev-parse", "--show-toplevel"], capture_output=True
	)
	if outside.returncode == 0:
		pytest.skip("the temporary folder is inside a git checkout")
	with pytest.raises(StackError, match="not in a git checkout") as excinfo:
		diff(MemorySite(), repo, ref="HEAD")
	assert "--ref HEAD" in str(excinfo.value)
