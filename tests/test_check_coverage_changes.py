"""The tests gate, first part: the changed lines, from diff text and from a real git checkout, grouped
by app."""

import shutil

import pytest
from builders import git
from check_coverage_helpers import CALC, app_repo

from frappe_stack.checks.app_tests import changes, run_app_tests
from frappe_stack.checks.coverage import by_app, changed_lines
from frappe_stack.errors import StackError

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


# changed lines from diff text


def test_hunks_give_the_new_side_line_numbers():
	diff = (
		"diff --git a/app/calc.py b/app/calc.py\n"
		"index 1..2 100644\n"
		"--- a/app/calc.py\n"
		"+++ b/app/calc.py\n"
		"@@ -3,0 +4,2 @@ def add(a, b):\n"
		"+x = 1\n"
		"+y = 2\n"
		"@@ -10 +12 @@\n"
		"-old\n"
		"+new\n"
	)
	assert changed_lines(diff) == {"app/calc.py": {4, 5, 12}}


def test_a_hunk_that_only_deletes_and_a_deleted_file_add_nothing():
	diff = (
		"diff --git a/app/calc.py b/app/calc.py\n"
		"--- a/app/calc.py\n"
		"+++ b/app/calc.py\n"
		"@@ -7,2 +6,0 @@\n"
		"-gone\n"
		"-gone too\n"
		"diff --git a/app/old.py b/app/old.py\n"
		"deleted file mode 100644\n"
		"--- a/app/old.py\n"
		"+++ /dev/null\n"
		"@@ -1,3 +0,0 @@\n"
		"-a\n"
		"-b\n"
		"-c\n"
	)
	assert changed_lines(diff) == {}


def test_an_added_line_that_looks_like_a_file_header_is_content():
	diff = (
		"diff --git a/app/notes.py b/app/notes.py\n"
		"--- a/app/notes.py\n"
		"+++ b/app/notes.py\n"
		"@@ -1,0 +2,2 @@\n"
		"+++ b/elsewhere.py\n"
		"+x = 1\n"
	)
	assert changed_lines(diff) == {"app/notes.py": {2, 3}}


def test_quoted_names_and_names_with_spaces():
	diff = (
		'diff --git "a/app/sp\\303\\251cial.py" "b/app/sp\\303\\251cial.py"\n'
		'--- "a/app/sp\\303\\251cial.py"\n'
		'+++ "b/app/sp\\303\\251cial.py"\n'
		"@@ -1 +1 @@\n"
		"-a\n"
		"+b\n"
		"diff --git a/app/my file.py b/app/my file.py\n"
		"--- a/app/my file.py\t\n"
		"+++ b/app/my file.py\t\n"
		"@@ -0,0 +1 @@\n"
		"+c\n"
	)
	assert changed_lines(diff) == {"app/spécial.py": {1}, "app/my file.py": {1}}


def test_new_files_count_as_wholly_added():
	assert changed_lines("", {"app/new.py": 3, "app/empty.py": 0}) == {
		"app/new.py": {1, 2, 3},
		"app/empty.py": set(),
	}


def test_changes_are_grouped_by_app_relative_to_its_folder():
	changed = {
		"apps/sample_app/sample_app/calc.py": {3},
		"apps/sample_app/README.md": {1},
		"apps/other/other/x.py": {2},
		"blueprints/roles.json": {5},
	}
	assert by_app(changed, {"sample_app": "apps/sample_app", "other": "apps/other"}) == {
		"sample_app": {"sample_app/calc.py": {3}, "README.md": {1}},
		"other": {"other/x.py": {2}},
	}
	assert by_app({"blueprints/roles.json": {5}}, {"sample_app": "apps/sample_app"}) == {}


def test_an_app_at_the_repo_root_and_one_inside_it():
	changed = {"outer/x.py": {1}, "inner_app/inner/y.py": {2}}
	assert by_app(changed, {"outer": ".", "inner": "inner_app"}) == {
		"outer": {"outer/x.py": {1}},
		"inner": {"inner/y.py": {2}},
	}


@needs_git
def test_changes_of_the_working_tree_against_the_base(tmp_path):
	root = app_repo(tmp_path / "repo")
	package = root / "apps" / "sample_app" / "sample_app"
	(package / "calc.py").write_text(CALC + "\n\ndef mul(a, b):\n\treturn a * b\n")
	git(root, "add", "apps/sample_app/sample_app/calc.py")  # staged changes count too
	git(root, "mv", "apps/sample_app/sample_app/moved.py", "apps/sample_app/sample_app/renamed.py")
	renamed = (package / "renamed.py").read_text().replace("line_5 = 5", "line_5 = 50")
	(package / "renamed.py").write_text(renamed)
	(package / "trimmed.py").write_text("a = 1\nc = 3\n")
	(package / "old.py").unlink()
	(package / "new.py").write_text("x = 1\ny = 2\n")
	(root / "blueprints" / "roles.json").write_text('{"blueprint": "roles", "description": "x"}\n')
	changed = changes(root, "HEAD", ["apps/sample_app"])
	assert changed == {
		"apps/sample_app/sample_app/calc.py": {7, 8, 9, 10},
		"apps/sample_app/sample_app/renamed.py": {5},
		"apps/sample_app/sample_app/new.py": {1, 2},
	}


@needs_git
def test_a_change_outside_every_app_needs_no_tests(tmp_path):
	root = app_repo(tmp_path / "repo")
	(root / "blueprints" / "roles.json").write_text('{"blueprint": "roles", "description": "x"}\n')
	(root / "blueprints" / "new.json").write_text("{}\n")
	result = run_app_tests(
		root, "HEAD", {"sample_app": "apps/sample_app"}, tmp_path / "no-bench", "site1", "python3", 80
	)
	assert result is None


@needs_git
def test_an_unknown_base_ref_names_it(tmp_path):
	root = app_repo(tmp_path / "repo")
	with pytest.raises(StackError, match="'nope'.*git fetch origin nope"):
		changes(root, "nope", ["apps/sample_app"])


def test_a_folder_outside_git_is_refused(tmp_path):
	with pytest.raises(StackError, match="not a git checkout"):
		changes(tmp_path, "main", ["apps/sample_app"])
