"""`ship` reads the tags, not only the Promotion table: a promotion whose merged commit a version tag
already contains was shipped, whatever status a restore left it in."""

import subprocess

from frappe_stack.promote import release


def git(repo, *args):
	return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def commit(repo, message):
	git(repo, "commit", "-q", "--allow-empty", "-m", message)
	return git(repo, "rev-parse", "HEAD").strip()


def test_a_promotion_inside_a_version_tag_counts_as_released(tmp_path):
	git(tmp_path, "init", "-q", "-b", "main")
	git(tmp_path, "config", "user.name", "T")
	git(tmp_path, "config", "user.email", "t@example.com")
	first = commit(tmp_path, "first promotion")
	git(tmp_path, "tag", "not-a-version")
	git(tmp_path, "tag", "v1.0.0")
	second = commit(tmp_path, "second promotion")
	git(tmp_path, "tag", "v1.1.0")
	third = commit(tmp_path, "third promotion, not shipped")
	promotions = [
		{"name": "P-1", "merge_commit": first},
		{"name": "P-2", "merge_commit": "", "head_commit": second},
		{"name": "P-3", "merge_commit": third},
		{"name": "P-4", "merge_commit": "0" * 40},  # unknown here: not released as far as the tags tell
		{"name": "P-5"},
	]
	assert release.released_in(tmp_path, promotions) == {"P-1": "v1.0.0", "P-2": "v1.1.0"}
