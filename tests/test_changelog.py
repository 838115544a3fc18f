"""The CHANGELOG.md entry `ship` writes: rendered from plain data in the Keep a Changelog 1.1.0
format, inserted below Unreleased with every other byte kept, with compare links when the GitHub
repository is known; the same body is the release notes."""

from datetime import date

import pytest

from frappe_stack.errors import StackError
from frappe_stack.promote.changelog import (
	HEADER,
	BlueprintChange,
	Promotion,
	entry,
	insert,
	release_notes,
	write,
)
from frappe_stack.promote.semver import parse

URL = "https://github.com/acme/site-config"
DAY = date(2026, 11, 22)


def first_entry():
	return entry(
		parse("v0.1.0"),
		DAY,
		[
			Promotion("PROMO-2026-0001", "sprint-15-beneficiary", 12, f"{URL}/pull/12"),
			Promotion("PROMO-2026-0002", "payroll-fix", 14, None, "payroll approvals\nblocked since 09:00"),
			Promotion("PROMO-2026-0003", "local-only"),
		],
		[
			BlueprintChange("beneficiary", "added", 12, "Beneficiary registration, approval workflow"),
			BlueprintChange("field-roles", "changed", 1),
			BlueprintChange("old-report", "removed", 2),
			BlueprintChange("approvals", "changed", 3),
		],
	)


def test_entry_has_the_keep_a_changelog_sections_in_order():
	assert first_entry().text == (
		"## [0.1.0] - 2026-11-22\n"
		"\n"
		"### Added\n"
		"\n"
		"- **beneficiary** (12 documents): Beneficiary registration, approval workflow\n"
		"\n"
		"### Changed\n"
		"\n"
		"- **approvals** (3 documents)\n"
		"- **field-roles** (1 document)\n"
		"\n"
		"### Removed\n"
		"\n"
		"- **old-report** (2 documents)\n"
		"\n"
		"### Promotions\n"
		"\n"
		f"- PROMO-2026-0001 sprint-15-beneficiary ([#12]({URL}/pull/12))\n"
		"- PROMO-2026-0002 payroll-fix (#14), emergency: payroll approvals blocked since 09:00\n"
		"- PROMO-2026-0003 local-only\n"
	)


def test_empty_sections_are_left_out():
	text = entry(parse("1.1.0"), DAY, [], [BlueprintChange("approvals", "changed", 3)]).text
	assert "### Changed" in text
	assert "### Added" not in text and "### Removed" not in text and "### Promotions" not in text


def test_an_entry_with_nothing_says_so():
	assert entry(parse("1.1.0"), DAY, [], []).body == "No blueprint changes.\n"


def test_unknown_action_is_refused_rather_than_dropped():
	with pytest.raises(ValueError, match="'renamed' is not one of added, changed, removed"):
		BlueprintChange("x", "renamed", 1)


def test_release_notes_are_the_entry_without_its_heading():
	notes = release_notes(first_entry())
	assert notes.startswith("### Added\n")
	assert first_entry().text == f"## [0.1.0] - 2026-11-22\n\n{notes}"


def test_new_changelog_has_the_standard_header_and_links():
	text = insert(None, first_entry(), URL)
	assert text.startswith(HEADER + "\n## [0.1.0] - 2026-11-22\n")
	assert text.endswith(
		"- PROMO-2026-0003 local-only\n"
		"\n"
		f"[unreleased]: {URL}/compare/v0.1.0...HEAD\n"
		f"[0.1.0]: {URL}/releases/tag/v0.1.0\n"
	)


def test_without_a_repo_url_there_are_no_links():
	text = insert(None, first_entry())
	assert text == HEADER + "\n" + first_entry().text
	assert "]: http" not in text


EXISTING = (
	"# Changelog\n"
	"\n"
	"Hand-written intro  \n"
	"with a trailing-space line break.\n"
	"\n"
	"## [Unreleased]\n"
	"\n"
	"- a note someone wrote by hand\n"
	"\n"
	"## [0.1.0] - 2026-11-01\n"
	"\n"
	"### Added\n"
	"\n"
	"- **beneficiary** (12 documents)\n"
	"\n"
	"[unreleased]: https://github.com/acme/site-config/compare/v0.1.0...HEAD\n"
	"[0.1.0]: https://github.com/acme/site-config/releases/tag/v0.1.0\n"
)


def second_entry():
	return entry(parse("v0.2.0"), DAY, [], [BlueprintChange("approvals", "changed", 3)])


def test_entry_goes_below_unreleased_and_everything_else_is_kept():
	text = insert(EXISTING, second_entry(), URL, "v0.1.0")
	assert text == EXISTING.replace(
		"## [0.1.0] - 2026-11-01\n",
		"## [0.2.0] - 2026-11-22\n\n### Changed\n\n- **approvals** (3 documents)\n\n"
		"## [0.1.0] - 2026-11-01\n",
	).replace(
		f"[unreleased]: {URL}/compare/v0.1.0...HEAD\n",
		f"[unreleased]: {URL}/compare/v0.2.0...HEAD\n[0.2.0]: {URL}/compare/v0.1.0...v0.2.0\n",
	)


def test_unreleased_link_keeps_its_spelling():
	text = insert(EXISTING.replace("[unreleased]:", "[Unreleased]:"), second_entry(), URL, "v0.1.0")
	assert f"[Unreleased]: {URL}/compare/v0.2.0...HEAD\n[0.2.0]:" in text


def test_crlf_file_stays_crlf():
	crlf = EXISTING.replace("\n", "\r\n")
	text = insert(crlf, second_entry(), URL, "v0.1.0")
	assert "\n" not in text.replace("\r\n", "")
	assert text.replace("\r\n", "\n") == insert(EXISTING, second_entry(), URL, "v0.1.0")


def test_unreleased_as_the_last_section_before_the_links():
	existing = "# Changelog\n\n## [Unreleased]\n\n[unreleased]: https://example.org/old\n"
	text = insert(existing, second_entry(), URL, "v0.1.0")
	assert text == (
		"# Changelog\n\n## [Unreleased]\n\n"
		"## [0.2.0] - 2026-11-22\n\n### Changed\n\n- **approvals** (3 documents)\n\n"
		f"[unreleased]: {URL}/compare/v0.2.0...HEAD\n"
		f"[0.2.0]: {URL}/compare/v0.1.0...v0.2.0\n"
	)


def test_no_unreleased_section_puts_the_entry_above_the_newest_version():
	existing = "# Changelog\n\n## [0.1.0] - 2026-11-01\n\n- first\n"
	text = insert(existing, second_entry())
	assert text == (
		"# Changelog\n\n"
		"## [0.2.0] - 2026-11-22\n\n### Changed\n\n- **approvals** (3 documents)\n\n"
		"## [0.1.0] - 2026-11-01\n\n- first\n"
	)


def test_file_without_final_newline_or_links_gets_them_appended():
	existing = "# Changelog\n\n## [Unreleased]"
	text = insert(existing, second_entry(), URL + "/", "v0.1.0")
	assert text == (
		"# Changelog\n\n## [Unreleased]\n\n"
		"## [0.2.0] - 2026-11-22\n\n### Changed\n\n- **approvals** (3 documents)\n\n"
		f"[unreleased]: {URL}/compare/v0.2.0...HEAD\n"
		f"[0.2.0]: {URL}/compare/v0.1.0...v0.2.0\n"
	)


def test_links_without_an_unreleased_link_get_the_new_ones_first():
	existing = EXISTING.replace(f"[unreleased]: {URL}/compare/v0.1.0...HEAD\n", "")
	text = insert(existing, second_entry(), URL, "v0.1.0")
	assert text.endswith(
		"- **beneficiary** (12 documents)\n\n"
		f"[unreleased]: {URL}/compare/v0.2.0...HEAD\n"
		f"[0.2.0]: {URL}/compare/v0.1.0...v0.2.0\n"
		f"[0.1.0]: {URL}/releases/tag/v0.1.0\n"
	)


def test_a_version_already_in_the_changelog_is_refused():
	with pytest.raises(StackError, match=r"CHANGELOG.md already has an entry for 0.1.0; fix: ship a greater"):
		insert(EXISTING, first_entry(), URL)


def test_write_creates_then_updates_the_file_keeping_its_bytes(tmp_path):
	path = tmp_path / "CHANGELOG.md"
	write(path, first_entry(), URL)
	assert path.read_text(encoding="utf-8") == insert(None, first_entry(), URL)
	path.write_bytes(EXISTING.replace("\n", "\r\n").encode("utf-8"))
	write(path, second_entry(), URL, "v0.1.0")
	assert path.read_bytes() == insert(EXISTING, second_entry(), URL, "v0.1.0").replace("\n", "\r\n").encode()
