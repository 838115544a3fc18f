"""frappe-stack.toml: named environments, and the one-line errors when the file is not right."""

import pytest
from click.testing import CliRunner
from config_helpers import write

from frappe_stack import cli
from frappe_stack.config import CONFIG_FILE, environment
from frappe_stack.errors import StackError

SECRET = "s3cret-config-never-shown"


ENV = {"FRAPPE_STACK_API_KEY": "key1", "FRAPPE_STACK_API_SECRET": SECRET}


GOOD = """\
[environments.staging]
url = "https://staging.example.com"
site_name = "staging.example.com"

[environments.production]
url = "https://erp.example.com"
"""


def error(root, name: str) -> str:
	with pytest.raises(StackError) as caught:
		environment(root, name)
	return str(caught.value)


def test_a_good_environment_gives_its_url_and_site_name(tmp_path):
	write(tmp_path, GOOD)
	assert environment(tmp_path, "staging") == {
		"url": "https://staging.example.com",
		"site_name": "staging.example.com",
	}


def test_site_name_is_optional(tmp_path):
	write(tmp_path, GOOD)
	assert environment(str(tmp_path), "production") == {"url": "https://erp.example.com", "site_name": None}


def test_a_missing_file_names_the_file_and_the_fix(tmp_path):
	message = error(tmp_path, "staging")
	assert str(tmp_path / CONFIG_FILE) in message
	assert "not found" in message
	assert '[environments.staging] url = "https://..."' in message


def test_bad_toml_names_the_file(tmp_path):
	file = write(tmp_path, '[environments.staging\nurl = "https://staging.example.com"\n')
	message = error(tmp_path, "staging")
	assert message.startswith(f"{file}: ")
	assert "fix the TOML syntax" in message
	assert "\n" not in message.strip()


def test_an_unknown_environment_lists_the_defined_ones(tmp_path):
	file = write(tmp_path, GOOD)
	message = error(tmp_path, "qa")
	assert message.startswith(f"{file}: environments.qa is not defined")
	assert "(defined: production, staging)" in message


def test_no_environments_at_all_says_none(tmp_path):
	write(tmp_path, 'title = "config"\n')
	assert "(defined: none)" in error(tmp_path, "staging")


@pytest.mark.parametrize(
	"text",
	[
		'[environments.staging]\nsite_name = "staging.example.com"\n',
		'[environments.staging]\nurl = ""\n',
		'[environments]\nstaging = "https://staging.example.com"\n',
	],
	ids=["no-url", "empty-url", "not-a-table"],
)
def test_a_missing_url_is_named(tmp_path, text):
	file = write(tmp_path, text)
	message = error(tmp_path, "staging")
	assert message == f'{file}: environments.staging.url is missing; add url = "https://..."'


@pytest.mark.parametrize(
	("text", "expected"),
	[
		(None, "not found"),
		("[environments.staging\n", "fix the TOML syntax"),
		(GOOD, "environments.qa is not defined"),
		("[environments.qa]\n", "environments.qa.url is missing"),
	],
	ids=["missing", "bad-toml", "unknown", "no-url"],
)
def test_the_cli_shows_config_errors_as_one_line(tmp_path, text, expected):
	if text is not None:
		write(tmp_path, text)
	result = CliRunner().invoke(cli.main, ["status", "--env", "qa", "--path", str(tmp_path)], env=ENV)
	assert result.exit_code == 1
	assert isinstance(result.exception, SystemExit)
	assert result.stdout == ""
	[line] = result.stderr.splitlines()
	assert line.startswith(f"Error: {tmp_path / CONFIG_FILE}: ")
	assert expected in line
	assert SECRET not in result.output
