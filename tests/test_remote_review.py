"""`frappe-stack review --url`: the review over HTTP asks the site's facts in a few batched requests
(RemoteFacts, the `facts` endpoint of tests/fake_frappe.py answering from a FakeContext) and finds
exactly what the same review finds over that context in memory; the command prints and exits as
the bench command does."""

import json
import re

import pytest
from builders import Repo, commit_all, doctype, git
from click.testing import CliRunner
from fake_context import FakeContext
from fake_frappe import FakeFrappe, serve
from memory_site import MemorySite
from review_cases import STANDARD, docperm, setter

from frappe_stack import __version__, cli, stack
from frappe_stack.errors import StackError
from frappe_stack.remote import RemoteError, RemoteSite
from frappe_stack.remote_facts import RemoteFacts
from frappe_stack.review.engine import review as engine_review
from frappe_stack.review.questions import MAX_QUESTIONS, BadQuestion, answer_all
from frappe_stack.review.sarif import read_texts, to_sarif

KEY, SECRET = "a1b2c3d4e5f6a7b", "s3cret-review-never-shown"
ENV = {"FRAPPE_STACK_API_KEY": KEY, "FRAPPE_STACK_API_SECRET": SECRET}
PERMS = [{"role": "System Manager", "read": 1, "write": 1}]


def beneficiary(changed: bool) -> dict:
	"""A custom DocType on the site; changed, each of its fields hits one data-impact rule."""
	fields = [
		{"fieldname": "title", "fieldtype": "Data", "label": "Title", "description": "d"},
		{"fieldname": "code", "fieldtype": "Data", "label": "Code", "length": 5 if changed else 40},
		{
			"fieldname": "status",
			"fieldtype": "Select",
			"label": "Status",
			"options": "Open\nClosed" + ("" if changed else "\nArchived"),
		},
		{"fieldname": "qty", "fieldtype": "Int" if changed else "Data", "label": "Qty"},
		{"fieldname": "email", "fieldtype": "Data", "label": "Email", "reqd": 1 if changed else 0},
		{"fieldname": "village", "fieldtype": "Link", "label": "Village", "options": "Village"},
	]
	if changed:  # to a DocType neither in the repo nor on the site
		fields.append(
			{"fieldname": "district", "fieldtype": "Link", "label": "District", "options": "District"}
		)
	return doctype(
		"Beneficiary", fields[1:] if changed else fields, permissions=PERMS, description="People we serve"
	)


def site_context() -> FakeContext:
	"""The site: Beneficiary's rows, ToDo's rows and own definitions, an old DocType full of rows."""
	rows = {
		"Beneficiary": [
			{"title": "First", "code": "ABCDEFGHIJ", "status": "Archived", "qty": "many", "email": ""},
			{"title": "Second", "code": "AB", "status": "Open", "qty": "3", "email": "a@example.com"},
			{"title": "", "code": "ABCDEFG", "status": "Archived", "qty": "", "email": ""},
		],
		"Old Thing": [{"title": "kept"}, {"title": "also kept"}],
		**STANDARD.rows,
	}
	return FakeContext(rows=rows, definitions=STANDARD.definitions, extra_doctypes={"User", "Village"})


@pytest.fixture
def fake():
	site = FakeFrappe()
	site.facts = site_context()
	stop = serve(site)
	yield site
	stop()


def make_repo(tmp_path, base: list[dict], head: list[dict]) -> Repo:
	"""A config repo whose HEAD holds `base` and whose working tree holds `head`."""
	repo = Repo(tmp_path / "config-repo")
	git(repo.root, "init", "-q")
	repo.write("feature", base)
	commit_all(repo.root, "base")
	repo.write("feature", head)
	return repo


SETTERS = [
	setter("ToDo", "priority", "options", "High\nMedium", "Text"),
	setter("ToDo", "summary", "reqd", "1"),
]
GHOST = docperm("Ghost Role", parent="Beneficiary")
NEW_DOCTYPE = doctype(
	"Visit",
	[{"fieldname": "notes", "fieldtype": "Data", "label": "Notes", "reqd": 1}],
	permissions=PERMS,
	description="d",
)


@pytest.fixture
def whole_change(tmp_path) -> Repo:
	"""Every rule that asks the site something: fields on a DocType with rows, setters over fields
	only the site defines, a DocType deleted with rows, an unknown role, a new DocType."""
	base = [beneficiary(False)]
	head = [beneficiary(True), *SETTERS, GHOST, NEW_DOCTYPE]
	repo = make_repo(tmp_path, base, head)
	data = repo.read("feature")
	repo.write_json("feature.json", data | {"delete": [{"doctype": "DocType", "name": "Old Thing"}]})
	return repo


def in_memory(repo: Repo, context: FakeContext, since: str | None = None, blueprint: str | None = None):
	"""The same change reviewed over `context` directly, as the bench reviews over SiteFacts."""
	base, head, root, _ = stack.base_and_head(MemorySite(), str(repo.root), since)
	return engine_review(base, head, context, blueprint), root


def remote(fake: FakeFrappe) -> RemoteSite:
	return RemoteSite(fake.url, KEY, SECRET, timeout=5, sleep=lambda _: None)


def asked(fake: FakeFrappe) -> list[list[list]]:
	return [request.body["questions"] for request in fake.calls("facts")]


# ---- the review over HTTP -------------------------------------------------------------------------


def test_the_remote_review_finds_what_the_review_over_the_same_facts_finds(fake, whole_change):
	expected, _ = in_memory(whole_change, site_context())
	site = remote(fake)
	report, root = stack.review(site, str(whole_change.root))
	assert report.findings == expected.findings
	assert root == whole_change.root
	assert {f.rule for f in report.findings} >= {
		"DL001",
		"DL002",
		"FLD001",
		"FLD002",
		"FLD003",
		"FLD004",
		"PRM002",
		"LNK001",
	}
	# the counts came from the site's rows, ToDo's through its own definitions
	messages = [f.message for f in report.findings]
	assert any("ToDo.priority drops option(s) Low still held by 2 row(s)" in m for m in messages)
	assert any("ToDo.summary becomes mandatory but is empty in 2 existing row(s)" in m for m in messages)
	assert any("Old Thing" in m and "2 row(s)" in m for m in messages)


def test_setters_over_site_fields_take_one_request_more_and_no_question_goes_twice(fake, whole_change):
	site = remote(fake)
	stack.review(site, str(whole_change.root))
	assert len(fake.calls("describe")) == 1
	first, second = asked(fake)
	assert site.requests == 3
	assert ["doctypes", []] in first and ["roles", []] in first
	assert ["field_definition", ["ToDo", "priority"]] in first
	# a count that depends on a definition only the site holds waits for that definition
	assert second == [["count_values", ["ToDo", "priority", ["Low"]]], ["count_empty", ["ToDo", "summary"]]]
	questions = [json.dumps(q) for q in first + second]
	assert len(questions) == len(set(questions))


def test_a_change_to_fields_of_its_own_doctype_takes_one_facts_request(fake, tmp_path):
	repo = make_repo(tmp_path, [beneficiary(False)], [beneficiary(True)])
	site = remote(fake)
	report, _ = stack.review(site, str(repo.root))
	assert site.requests == 2  # describe (for the blueprint schemas) and facts
	[questions] = asked(fake)
	assert ["count_filled", ["Beneficiary", "title"]] in questions
	assert ["count_too_long", ["Beneficiary", "code", 5]] in questions
	assert report.findings == in_memory(repo, site_context())[0].findings


def test_a_change_without_fields_asks_only_for_the_cheap_lists(fake, tmp_path):
	script = {
		"doctype": "Server Script",
		"name": "Greet",
		"script_type": "API",
		"api_method": "greet",
		"script": "frappe.response['message'] = 'hello'",
	}
	repo = make_repo(tmp_path, [], [script])
	site = remote(fake)
	report, _ = stack.review(site, str(repo.root))
	assert report.findings == []
	assert asked(fake) == [[["roles", []]]]  # PRM002 reads the site's roles for every document
	assert site.requests == 2


def test_the_final_pass_uses_the_sites_doctypes_not_the_guess(fake, tmp_path):
	# the first pass guesses that every DocType exists, so it asks Visit's rows; Visit is new, so the
	# review that counts says nothing about them
	repo = make_repo(tmp_path, [], [NEW_DOCTYPE])
	site = remote(fake)
	report, _ = stack.review(site, str(repo.root))
	assert ["count_rows", ["Visit"]] in asked(fake)[0]
	assert report.findings == in_memory(repo, site_context())[0].findings
	assert not any(f.rule == "FLD001" for f in report.findings)


# ---- the command -----------------------------------------------------------------------------------


def invoke(*args: str):
	return CliRunner().invoke(cli.main, list(args), env=ENV)


def test_cli_review_json_and_exit_2_like_the_bench(fake, whole_change):
	expected, _ = in_memory(whole_change, site_context())
	result = invoke("review", "--url", fake.url, "--path", str(whole_change.root), "--json")
	assert result.exit_code == 2, result.output
	assert json.loads(result.output) == json.loads(json.dumps(expected.as_dict()))


def test_cli_review_sarif_locates_the_findings_in_the_files(fake, whole_change):
	expected, root = in_memory(whole_change, site_context())
	result = invoke("review", "--sarif", "--url", fake.url, "--path", str(whole_change.root))
	assert result.exit_code == 2, result.output
	sarif = json.loads(result.output)
	assert sarif == to_sarif(expected, __version__, read_texts(root, expected))
	lines = {
		r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in sarif["runs"][0]["results"]
	}
	assert len(lines) > 1  # located in the file, not all on line 1


def test_cli_review_text_with_env_since_and_blueprint(fake, whole_change):
	(whole_change.root / "frappe-stack.toml").write_text(f'[environments.staging]\nurl = "{fake.url}"\n')
	whole_change.write("other", [docperm("Other Ghost", parent="Beneficiary") | {"name": "p2"}])
	commit_all(whole_change.root, "change")
	since = ["--since", "HEAD~1", "--blueprint", "feature"]
	result = invoke("review", "--env", "staging", "--path", str(whole_change.root), *since)
	expected, _ = in_memory(whole_change, site_context(), "HEAD~1", "feature")
	assert result.exit_code == 2, result.output
	assert result.output == expected.text() + "\n"
	assert "DL001" in result.output
	assert "Other Ghost" not in result.output  # another blueprint's finding


def test_cli_review_of_a_harmless_change_exits_0(fake, tmp_path):
	harmless = beneficiary(False)
	harmless["fields"][0]["label"] = "Headline"
	repo = make_repo(tmp_path, [beneficiary(False)], [harmless])
	result = invoke("review", "--url", fake.url, "--path", str(repo.root), "--json")
	assert result.exit_code == 0, result.output
	assert json.loads(result.output)["summary"]["blocking"] is False


def test_cli_review_refused_by_the_site_is_one_line_and_exit_1(fake, whole_change):
	fake.push(200, {"message": fake.site})  # describe
	fake.push(403, {"exc_type": "StackPermissionError"})  # facts
	result = invoke("review", "--url", fake.url, "--path", str(whole_change.root))
	assert result.exit_code == 1
	assert "HTTP 403" in result.output and "System Manager or Stack Manager" in result.output
	assert SECRET not in result.output


def test_a_site_whose_frappe_stack_is_older_than_the_facts_endpoint(fake, whole_change):
	fake.push(200, {"message": fake.site})  # describe
	missing = "Failed to get method for command frappe_stack.api.facts with module 'frappe_stack.api' has no attribute 'facts'"
	fake.push(
		417,
		{"exc_type": "ValidationError", "_server_messages": json.dumps([json.dumps({"message": missing})])},
	)
	with pytest.raises(
		RemoteError, match="runs an older frappe_stack that lacks this request .HTTP 417.: update"
	):
		stack.review(remote(fake), str(whole_change.root))


# ---- RemoteFacts -------------------------------------------------------------------------------------


class Asker:
	"""Answers from a FakeContext as the site would, one call per request."""

	def __init__(self, context: FakeContext):
		self.context = context
		self.requests: list[list] = []

	def __call__(self, questions: list[list]) -> list:
		self.requests.append(questions)
		return json.loads(json.dumps(answer_all(self.context, questions)))


def test_used_as_a_plain_context_it_asks_each_new_question_once():
	ask = Asker(site_context())
	facts = RemoteFacts(ask)
	assert facts.count_rows("Beneficiary") == 3
	assert facts.count_rows("Beneficiary") == 3
	assert facts.doctypes() >= {"Beneficiary", "ToDo", "Old Thing"}
	assert facts.count_values("Beneficiary", "status", ["Archived"]) == 2
	assert ask.requests == [
		[["count_rows", ["Beneficiary"]]],
		[["doctypes", []]],
		[["count_values", ["Beneficiary", "status", ["Archived"]]]],
	]


def test_settle_asks_what_depends_on_an_answer_in_the_next_request():
	ask = Asker(site_context())
	facts = RemoteFacts(ask)

	def work():
		definition = facts.field_definition("ToDo", "priority")
		options = definition["options"].split("\n") if definition else None
		rows = facts.count_values("ToDo", "priority", options) if options else None
		return rows, facts.count_rows("Old Thing")

	assert facts.settle(work) == (3, 2)
	assert ask.requests == [
		[["field_definition", ["ToDo", "priority"]], ["count_rows", ["Old Thing"]]],
		[["count_values", ["ToDo", "priority", ["High", "Medium", "Low"]]]],
	]


def test_settle_asks_in_pages():
	ask = Asker(site_context())
	facts = RemoteFacts(ask, page_size=2)
	assert facts.settle(lambda: [facts.count_too_long("Beneficiary", "code", n) for n in range(5)]) == [
		3,
		3,
		2,
		2,
		2,
	]
	assert [len(page) for page in ask.requests] == [2, 2, 1]


def test_an_answer_changed_by_its_reader_does_not_change_the_next():
	facts = RemoteFacts(Asker(site_context()))
	facts.roles().add("Made Up")
	assert "Made Up" not in facts.roles()
	facts.field_definition("ToDo", "summary")["reqd"] = 1
	assert "reqd" not in facts.field_definition("ToDo", "summary")


def test_a_site_that_answers_fewer_questions_than_asked():
	facts = RemoteFacts(lambda questions: [0])
	with pytest.raises(StackError, match="answered 1 to 2 review question"):
		facts.settle(lambda: (facts.count_rows("A"), facts.count_rows("B")))


# ---- what the site accepts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
	"question, problem",
	[
		(["_count", ["ToDo", "name", "1=1"]], "unknown question '_count'"),
		(["__init__", []], "unknown question"),
		(["settle", [[]]], "unknown question"),
		(["count_rows", []], "count_rows takes 1 argument(s)"),
		(["count_rows", "ToDo"], "count_rows takes 1 argument(s)"),
		(["count_rows", [["ToDo"]]], "is not a str"),
		(["count_too_long", ["ToDo", "code", "5"]], "is not a int"),
		(["count_too_long", ["ToDo", "code", True]], "is not a int"),
		(["count_values", ["ToDo", "priority", "Low"]], "is not a list"),
		(["count_values", ["ToDo", "priority", [["Low"]]]], "is not a list"),
		({"method": "doctypes"}, "a question is [method, args]"),
	],
)
def test_a_bad_question_is_refused_before_any_is_answered(question, problem):
	context = FakeContext()
	context.count_rows = lambda doctype: pytest.fail("answered a question of a refused request")
	with pytest.raises(BadQuestion, match=re.escape(problem)):
		answer_all(context, [["count_rows", ["ToDo"]], question])


def test_at_most_max_questions_per_request():
	with pytest.raises(BadQuestion, match=f"at most {MAX_QUESTIONS}"):
		answer_all(FakeContext(), [["doctypes", []]] * (MAX_QUESTIONS + 1))


def test_the_fake_site_refuses_a_bad_question_as_frappe_does(fake):
	site = remote(fake)
	with pytest.raises(RemoteError, match="HTTP 417.*unknown question"):
		site._call("facts", {"questions": [["_table", ["ToDo"]]]})
