"""Release versions: parsing and precedence as semver.org 2.0.0 defines them, and which version
`ship` may use after the existing tags."""

from itertools import pairwise

import pytest

from frappe_stack.promote.semver import Version, latest, next_allowed, parse


@pytest.mark.parametrize(
	"text, version",
	[
		("v1.2.3", Version(1, 2, 3)),
		("1.2.3", Version(1, 2, 3)),
		("v0.1.0-rc.1", Version(0, 1, 0, ("rc", "1"))),
		("1.0.0-alpha+001", Version(1, 0, 0, ("alpha",), ("001",))),
		("1.0.0+20130313144700", Version(1, 0, 0, (), ("20130313144700",))),
		("1.0.0-x-y-z.--", Version(1, 0, 0, ("x-y-z", "--"))),
	],
)
def test_parse(text, version):
	parsed = parse(text)
	assert (parsed, parsed.prerelease, parsed.build) == (version, version.prerelease, version.build)


@pytest.mark.parametrize(
	"text",
	[
		"1.2",
		"v1",
		"1.2.3.4",
		"01.2.3",
		"1.02.3",
		"1.2.3-01",
		"1.2.3-",
		"1.2.3+",
		"1.2.3-a..b",
		"V1.2.3",
		"١.2.3",
		"",
	],
)
def test_not_versions(text):
	assert parse(text) is None


def test_str_and_tag_round_trip():
	version = parse("1.0.0-beta.11+exp.sha.5114f85")
	assert str(version) == "1.0.0-beta.11+exp.sha.5114f85"
	assert version.tag == "v1.0.0-beta.11+exp.sha.5114f85"
	assert parse("1.4.0").tag == "v1.4.0"


def test_precedence_follows_the_semver_spec_example():
	# the chain given in semver.org 2.0.0, item 11
	chain = [
		"1.0.0-alpha",
		"1.0.0-alpha.1",
		"1.0.0-alpha.beta",
		"1.0.0-beta",
		"1.0.0-beta.2",
		"1.0.0-beta.11",
		"1.0.0-rc.1",
		"1.0.0",
		"2.0.0",
		"2.1.0",
		"2.1.1",
	]
	versions = [parse(text) for text in chain]
	assert all(a < b for a, b in pairwise(versions))
	assert sorted(reversed(versions)) == versions


def test_numbers_compare_as_numbers_not_text():
	assert parse("1.10.0") > parse("1.9.0")
	assert parse("10.0.0") > parse("9.99.99")


def test_build_metadata_does_not_count():
	assert parse("1.0.0+a") == parse("1.0.0+b")
	assert not parse("1.0.0+b") > parse("1.0.0+a")
	assert len({parse("1.0.0+a"), parse("v1.0.0")}) == 1


def test_latest_ignores_tags_that_are_not_versions_and_keeps_the_spelling():
	assert latest(["deploy-2026-11-01", "v0.9.0", "0.10.0", "v0.10.0-rc.1", "nightly"]) == "0.10.0"
	assert latest(["deploy", "nightly"]) is None
	assert latest([]) is None


def test_first_release_may_be_any_version():
	assert next_allowed("v0.1.0", []) is None
	assert next_allowed("0.1.0", ["not-a-version"]) is None


def test_greater_than_the_last_tag_is_allowed():
	tags = ["v0.1.0", "v0.2.0", "v0.2.1-rc.1"]
	assert next_allowed("v0.2.1", tags) is None
	assert next_allowed("v1.0.0-alpha", tags) is None


@pytest.mark.parametrize("version", ["v0.1.0", "v0.2.0", "v0.2.0+build.7", "0.2.0-rc.9"])
def test_older_or_equal_version_is_refused_naming_the_last_tag_and_the_fix(version):
	message = next_allowed(version, ["v0.1.0", "v0.2.0", "release-7"])
	assert message.startswith(f"v{version.removeprefix('v')} is not greater than the last tag v0.2.0")
	assert "fix: use a greater version, like v0.2.1 or v0.3.0 or v1.0.0" in message


def test_after_a_pre_release_its_release_is_suggested():
	assert next_allowed("v1.0.0-rc.1", ["v1.0.0-rc.2"]).endswith("like v1.0.0")


def test_malformed_version_is_refused_with_the_format_and_an_example():
	assert next_allowed("1.2", ["v0.3.0"]) == (
		"'1.2' is not a semantic version; fix: write it as vMAJOR.MINOR.PATCH, like v0.3.1"
	)
	assert next_allowed("latest", []).endswith("like v0.1.0")
