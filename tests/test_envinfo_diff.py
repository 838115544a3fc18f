"""env-diff: comparing two sites' facts, and rendering the difference."""

import copy
import json

from envinfo_helpers import environment, production

from frappe_stack import envinfo
from frappe_stack.envinfo import compare

# ---- compare ---------------------------------------------------------------------------------


def test_two_sites_alike_differ_only_in_what_each_site_has_its_own_of():
	result = compare(environment(), production())
	assert result.differences == []
	per_site = {(r.section, r.key) for r in result.rows if r.status == envinfo.PER_SITE}
	assert per_site == {
		("config", "db_name"),
		("config", "host_name"),
		("domains", "domains"),
		("certificates", "erp.example.com (tls erp.example.com:443)"),
		("certificates", "staging.example.com (tls staging.example.com:443)"),
	}
	assert result.as_dict()["differences"] == 0
	assert "Same environment." in result.text()


def test_each_difference_is_one_row():
	b = production(time_zone="Europe/Berlin")
	b["apps"] = copy.deepcopy(b["apps"]) | {"hrms": {"version": "15.1.0", "branch": None, "commit": None}}
	b["apps"]["frappe"]["commit"] = "ffff000000"
	b["config"] = b["config"] | {"frappe_stack_probe": 42}
	b["scheduler"] = {"enabled": False, "paused": False}
	result = compare(environment(), b)
	assert [(r.section, r.key, r.a, r.b) for r in result.differences] == [
		("apps", "frappe commit", "32af4c50b0", "ffff000000"),
		("apps", "hrms version", None, "15.1.0"),
		("site", "scheduler enabled", True, False),
		("site", "time zone", "Asia/Kolkata", "Europe/Berlin"),
		("config", "frappe_stack_probe", None, 42),
	]
	assert result.as_dict()["differences"] == 5


def test_rows_come_in_section_order_whatever_the_order_of_the_facts():
	a, b = environment(), production()
	reordered = json.loads(json.dumps(b, sort_keys=True))  # how Frappe's JSON answer orders them
	assert compare(a, reordered).rows == compare(a, b).rows
	sections = [r.section for r in compare(a, b).rows]
	assert sections == sorted(sections, key=envinfo.SECTIONS.index)


def test_config_keys_with_a_row_elsewhere_are_not_repeated():
	keys = {r.key for r in compare(environment(), production()).rows if r.section == "config"}
	assert "maintenance_mode" not in keys
	assert "db_password" in keys


def test_a_secret_is_the_same_placeholder_on_both_sides():
	row = next(r for r in compare(environment(), production()).rows if r.key == "db_password")
	assert (row.a, row.b, row.status) == ("(secret)", "(secret)", envinfo.SAME)


def test_a_database_that_did_not_answer_shows_as_a_row():
	down = production(database={"type": "mariadb", "error": "the database did not answer: (2003, ...)"})
	del down["apps"]
	result = compare(environment(), down)
	keys = {r.key for r in result.differences}
	assert "database error" in keys
	assert "frappe version" in keys


def test_text_marks_differences_and_per_site_values():
	result = compare(environment(), production(time_zone="Europe/Berlin"))
	text = result.text()
	lines = text.splitlines()
	assert lines[0] == "Environments: staging.example.com ↔ erp.example.com"
	[zone] = [line for line in lines if "time zone" in line]
	assert zone.startswith("  * time zone")
	assert zone.split()[-2:] == ["Asia/Kolkata", "Europe/Berlin"]
	[db_name] = [line for line in lines if "db_name" in line]
	assert db_name.startswith("  ~ db_name")
	assert "1 difference(s), marked *." in text
	assert "(not counted)" in text


def test_text_shortens_long_values_and_shows_missing_ones():
	b = production()
	b["config"] = b["config"] | {"long_value": "x" * 100}
	text = compare(environment(), b).text()
	[line] = [line for line in text.splitlines() if "long_value" in line]
	assert "—" in line
	assert "x" * (envinfo.TEXT_WIDTH - 1) + "…" in line
	assert "x" * envinfo.TEXT_WIDTH not in line
