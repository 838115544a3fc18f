"""frappe-stack.toml: every setting read, defaults, values at the edges, and each bad setting named
with its key and fix."""

from datetime import date, time
from pathlib import Path

import pytest
from config_helpers import write

from frappe_stack.config import CONFIG_FILE, Environment, Settings, environment, load_settings
from frappe_stack.errors import StackError

# Settings: every key of frappe-stack.toml the checks read.


def settings_error(root: Path, text: str) -> str:
	write(root, text)
	with pytest.raises(StackError) as caught:
		load_settings(root)
	message = str(caught.value)
	assert message.startswith(f"{root / CONFIG_FILE}: ")
	assert "\n" not in message
	return message.removeprefix(f"{root / CONFIG_FILE}: ")


def test_a_missing_file_gives_every_default(tmp_path):
	assert load_settings(tmp_path) == Settings(
		environments={},
		timezone=None,
		freeze=(),
		friday_cutoff=time(14, 0),
		max_related_sets=5,
		coverage_threshold=80.0,
		test_apps={},
		test_site=None,
		backup_timeout=900,
		base_branch="main",
	)


def test_an_empty_file_gives_every_default_too(tmp_path):
	write(tmp_path, "")
	assert load_settings(str(tmp_path)) == Settings()


FULL = """\
[environments.staging]
url = "https://staging.example.com"
site_name = "staging.example.com"

[environments.production]
site = "erp.localhost"

[window]
timezone = "Africa/Nairobi"
freeze = ["2026-12-24", "2026-12-28..2027-01-02", 2027-04-03]
friday_cutoff = "15:30"

[thresholds]
max_related_sets = 3
coverage = 72.5

[tests]
site = "test_site"

[tests.apps]
my_app = "apps/my_app/"
repo_app = "."

[backup]
timeout = 1800

[git]
base_branch = "develop"

[github]
repo = "acme/erp-config"

[reviewers]
rotation = ["ana", "bo"]
"""


def test_every_setting_is_read(tmp_path):
	write(tmp_path, FULL)
	assert load_settings(tmp_path) == Settings(
		environments={
			"staging": Environment("staging", "https://staging.example.com", None, "staging.example.com"),
			"production": Environment("production", None, "erp.localhost", None),
		},
		timezone="Africa/Nairobi",
		freeze=(
			(date(2026, 12, 24), date(2026, 12, 24)),
			(date(2026, 12, 28), date(2027, 1, 2)),
			(date(2027, 4, 3), date(2027, 4, 3)),
		),
		friday_cutoff=time(15, 30),
		max_related_sets=3,
		coverage_threshold=72.5,
		test_apps={"my_app": "apps/my_app", "repo_app": "."},
		test_site="test_site",
		backup_timeout=1800,
		base_branch="develop",
		github_repo="acme/erp-config",
		reviewers=("ana", "bo"),
	)


def test_the_environment_lookup_still_reads_a_full_file(tmp_path):
	write(tmp_path, FULL)
	assert environment(tmp_path, "staging")["url"] == "https://staging.example.com"


@pytest.mark.parametrize(
	("text", "setting", "expected"),
	[
		('[window]\nfriday_cutoff = "00:00"\n', "friday_cutoff", time(0, 0)),
		('[window]\nfriday_cutoff = "23:59"\n', "friday_cutoff", time(23, 59)),
		('[window]\ntimezone = "UTC"\n', "timezone", "UTC"),
		(
			'[window]\nfreeze = ["2026-12-31..2026-12-31"]\n',
			"freeze",
			((date(2026, 12, 31), date(2026, 12, 31)),),
		),
		("[window]\nfreeze = []\n", "freeze", ()),
		("[thresholds]\ncoverage = 0\n", "coverage_threshold", 0.0),
		("[thresholds]\ncoverage = 100\n", "coverage_threshold", 100.0),
		("[thresholds]\nmax_related_sets = 1\n", "max_related_sets", 1),
		("[backup]\ntimeout = 1\n", "backup_timeout", 1),
		('[tests.apps]\napp = "./apps/x/../app"\n', "test_apps", {"app": "apps/app"}),
		('[tests]\napps = {app = "apps/app"}\n', "test_apps", {"app": "apps/app"}),
		('[git]\nbase_branch = "release/v15"\n', "base_branch", "release/v15"),
	],
	ids=[
		"cutoff-midnight",
		"cutoff-late",
		"timezone-utc",
		"range-of-one-day",
		"no-freeze",
		"coverage-0",
		"coverage-100",
		"one-set",
		"timeout-1s",
		"path-normalised",
		"apps-inline-table",
		"branch-with-slash",
	],
)
def test_values_at_the_edges_are_accepted(tmp_path, text, setting, expected):
	write(tmp_path, text)
	assert getattr(load_settings(tmp_path), setting) == expected


@pytest.mark.parametrize(
	("text", "expected"),
	[
		# sections and keys
		("window = 3\n", "window: 3 is not a table; write it as [window] with its keys below"),
		(
			'[window]\ncutoff = "14:00"\n',
			"window.cutoff: unknown key; use one of timezone, freeze, friday_cutoff",
		),
		(
			"[thresholds]\ncoverge = 80\n",
			"thresholds.coverge: unknown key; use one of max_related_sets, coverage",
		),
		('[tests]\nsites = "x"\n', "tests.sites: unknown key; use one of site, apps"),
		("[backup]\ntimeout_s = 9\n", "backup.timeout_s: unknown key; use one of timeout"),
		('[git]\nbranch = "main"\n', "git.branch: unknown key; use one of base_branch"),
		# environments
		('environments = "prod"\n', 'environments: "prod" is not a table'),
		(
			'[environments]\nprod = "https://erp.example.com"\n',
			'environments.prod: "https://erp.example.com" is not a table',
		),
		("[environments.prod]\n", "environments.prod: has neither url nor site; give one: url = "),
		('[environments.prod]\nsite_name = "erp"\n', "environments.prod: has neither url nor site"),
		(
			'[environments.prod]\nurl = "https://erp"\nsite = "erp"\n',
			"environments.prod: has both url and site",
		),
		(
			'[environments.prod]\nurl = ""\n',
			'environments.prod.url: is empty; write it as url = "..." or remove it',
		),
		("[environments.prod]\nurl = 5\n", "environments.prod.url: 5 is not a string"),
		(
			'[environments.prod]\nurl = "erp.example.com"\n',
			'environments.prod.url: "erp.example.com" is not an http(s) URL; write it as url = "https://..."',
		),
		(
			'[environments.prod]\nsite = "erp"\nsite_name = "erp"\n',
			"environments.prod.site_name: only goes with url; remove it",
		),
		(
			'[environments.prod]\nsite = "erp"\nhost = "x"\n',
			"environments.prod.host: unknown key; use one of url, site, site_name",
		),
		# window.timezone
		(
			'[window]\ntimezone = "Mars/Olympus"\n',
			'window.timezone: "Mars/Olympus" is not an IANA time zone; write one like "Africa/Nairobi"',
		),
		(
			'[window]\ntimezone = "../../etc/passwd"\n',
			'window.timezone: "../../etc/passwd" is not an IANA time zone',
		),
		('[window]\ntimezone = ""\n', "window.timezone: is empty"),
		("[window]\ntimezone = 3\n", "window.timezone: 3 is not a string"),
		# window.freeze
		(
			'[window]\nfreeze = "2026-12-24"\n',
			'window.freeze: "2026-12-24" is not a list; write freeze = [...]; write dates like "2026-12-24"',
		),
		(
			'[window]\nfreeze = ["2026-12-32"]\n',
			'window.freeze[0]: "2026-12-32" is not a date or date range; write dates like "2026-12-24" or ranges like "2026-12-28..2027-01-02"',
		),
		(
			'[window]\nfreeze = ["2026-12-24", "24.12.2026"]\n',
			'window.freeze[1]: "24.12.2026" is not a date or date range',
		),
		('[window]\nfreeze = ["20261224"]\n', 'window.freeze[0]: "20261224" is not a date or date range'),
		(
			'[window]\nfreeze = ["2026-12-24.."]\n',
			'window.freeze[0]: "2026-12-24.." is not a date or date range',
		),
		(
			'[window]\nfreeze = ["2026-12-24..2026-12-26..2026-12-28"]\n',
			'window.freeze[0]: "2026-12-24..2026-12-26..2026-12-28" is not a date',
		),
		(
			"[window]\nfreeze = [2026-12-24T10:00:00]\n",
			'window.freeze[0]: "2026-12-24 10:00:00" is not a date or date range',
		),
		("[window]\nfreeze = [20261224]\n", "window.freeze[0]: 20261224 is not a date or date range"),
		(
			'[window]\nfreeze = ["2027-01-02..2026-12-28"]\n',
			'window.freeze[0]: "2027-01-02..2026-12-28" ends before it starts; write START..END, earliest first',
		),
		# window.friday_cutoff
		(
			'[window]\nfriday_cutoff = "25:00"\n',
			'window.friday_cutoff: "25:00" is not a time; write it as "14:00"',
		),
		('[window]\nfriday_cutoff = "14:60"\n', 'window.friday_cutoff: "14:60" is not a time'),
		('[window]\nfriday_cutoff = "2pm"\n', 'window.friday_cutoff: "2pm" is not a time'),
		('[window]\nfriday_cutoff = "9:00"\n', 'window.friday_cutoff: "9:00" is not a time'),
		("[window]\nfriday_cutoff = 14\n", "window.friday_cutoff: 14 is not a time"),
		# thresholds
		(
			"[thresholds]\nmax_related_sets = 0\n",
			"thresholds.max_related_sets: 0 is out of range; write a whole number of at least 1, e.g. max_related_sets = 5",
		),
		("[thresholds]\nmax_related_sets = 2.5\n", "thresholds.max_related_sets: 2.5 is not a whole number"),
		('[thresholds]\nmax_related_sets = "5"\n', 'thresholds.max_related_sets: "5" is not a whole number'),
		(
			"[thresholds]\nmax_related_sets = true\n",
			"thresholds.max_related_sets: true is not a whole number",
		),
		(
			"[thresholds]\ncoverage = 101\n",
			"thresholds.coverage: 101 is out of range; write a number from 0 to 100, e.g. coverage = 80.0",
		),
		("[thresholds]\ncoverage = -1\n", "thresholds.coverage: -1 is out of range"),
		("[thresholds]\ncoverage = nan\n", "thresholds.coverage: nan is out of range"),
		('[thresholds]\ncoverage = "80%"\n', 'thresholds.coverage: "80%" is not a number'),
		# tests
		('[tests]\nsite = ""\n', 'tests.site: is empty; write it as site = "..." or remove it'),
		('[tests]\napps = ["my_app"]\n', 'tests.apps: ["my_app"] is not a table'),
		(
			'[tests.apps]\n"my-app" = "apps/my-app"\n',
			'tests.apps.my-app: "my-app" is not an app name; use the app\'s Python package name',
		),
		(
			"[tests.apps]\nmy_app = 1\n",
			'tests.apps.my_app: 1 is not a folder; write my_app = "apps/my_app", relative to the repo root',
		),
		('[tests.apps]\nmy_app = ""\n', 'tests.apps.my_app: "" is not a folder'),
		(
			'[tests.apps]\nmy_app = "/srv/apps/my_app"\n',
			'tests.apps.my_app: "/srv/apps/my_app" is absolute; write it relative to the repo root, like "apps/my_app"',
		),
		(
			'[tests.apps]\nmy_app = "C:\\\\apps\\\\my_app"\n',
			'tests.apps.my_app: "C:\\\\apps\\\\my_app" is absolute',
		),
		('[tests.apps]\nmy_app = "~/apps/my_app"\n', 'tests.apps.my_app: "~/apps/my_app" is absolute'),
		(
			'[tests.apps]\nmy_app = "../my_app"\n',
			'tests.apps.my_app: "../my_app" leaves the config repo; point inside it, like "apps/my_app" or "."',
		),
		('[tests.apps]\nmy_app = "apps/../.."\n', 'tests.apps.my_app: "apps/../.." leaves the config repo'),
		# backup and git
		(
			"[backup]\ntimeout = 0\n",
			"backup.timeout: 0 is out of range; write a whole number of at least 1, e.g. timeout = 900",
		),
		("[backup]\ntimeout = -5\n", "backup.timeout: -5 is out of range"),
		('[backup]\ntimeout = "15m"\n', 'backup.timeout: "15m" is not a whole number'),
		('[git]\nbase_branch = ""\n', "git.base_branch: is empty"),
		(
			'[git]\nbase_branch = "my branch"\n',
			'git.base_branch: "my branch" is not a branch name; write it like base_branch = "main"',
		),
		('[git]\nbase_branch = "-main"\n', 'git.base_branch: "-main" is not a branch name'),
	],
)
def test_a_bad_setting_names_the_key_and_the_fix(tmp_path, text, expected):
	assert settings_error(tmp_path, text).startswith(expected)


def test_bad_toml_is_reported_by_the_settings_loader_too(tmp_path):
	assert "fix the TOML syntax there" in settings_error(tmp_path, "[window\n")


def test_unknown_top_level_sections_are_left_alone(tmp_path):
	write(tmp_path, "[anything]\nx = 1\n")
	assert load_settings(tmp_path) == Settings()


def test_promotion_settings_are_read(tmp_path):
	write(
		tmp_path,
		'[git]\nremote = "upstream"\nprotected = ["production", "production"]\n'
		'[github]\nrepo = "acme/erp-config"\napi_url = "http://127.0.0.1:8080/"\n'
		'[reviewers]\nrotation = ["ana", "bo"]\nper_promotion = 2\n[promote]\ntarget = "prod"\n',
	)
	settings = load_settings(tmp_path)
	assert (settings.remote, settings.protected) == ("upstream", ("production",))
	assert (settings.github_repo, settings.github_api) == ("acme/erp-config", "http://127.0.0.1:8080")
	assert (settings.reviewers, settings.reviewers_per_promotion) == (("ana", "bo"), 2)
	assert settings.target == "prod"


@pytest.mark.parametrize(
	("text", "key"),
	[
		('[github]\nrepo = "acme"\n', "github.repo"),
		('[github]\napi_url = "api.github.com"\n', "github.api_url"),
		('[reviewers]\nrotation = "ana"\n', "reviewers.rotation"),
		('[reviewers]\nrotation = ["ana bo"]\n', "reviewers.rotation"),
		("[reviewers]\nper_promotion = 0\n", "reviewers.per_promotion"),
		('[git]\nprotected = ["-f"]\n', "git.protected"),
		('[git]\nremote = ""\n', "git.remote"),
	],
)
def test_bad_promotion_settings_name_the_key(tmp_path, text, key):
	write(tmp_path, text)
	with pytest.raises(StackError, match=f"frappe-stack.toml: {key}: "):
		load_settings(tmp_path)


def test_the_example_config_repo_settings_load():
	settings = load_settings(Path(__file__).parent.parent / "examples" / "config-repo")
	assert settings.environments["production"].url == "https://erp.example.org"
	assert settings.environments["staging"].site == "staging.localhost"
	assert settings.timezone == "Africa/Nairobi"
	assert settings.freeze[0][0].isoformat() == "2026-12-24"
