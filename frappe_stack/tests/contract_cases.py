"""Contract cases: what a site and its review facts must do, run on the fakes of the pure tests
(tests/test_contracts.py: MemorySite, FakeContext) and on the real adapter
(frappe_stack/tests/test_contracts.py: FrappeSite, FrappeFacts). A fake that drifts from the
adapter fails here, not in a test that trusted it. Pure Python: both suites import it.

A site case is a function of a `site` (frappe_stack.applier.Site) and a `world`, which does what
only a test does: `world.audit_actions()` lists the actions in the audit log as stored, and
`world.desk_edit(key, **values)` changes a document the way a user saving it in Desk does,
`world.set_config(key, value)` a site config value (until the case ends). A facts
case is a function of a SiteFacts that holds PROBE_ROWS in the DocType PROBE (PROBE_FIELDS)."""

from frappe_stack.ledger import AuditRow, LedgerEntry

ROLE = "Stack Contract Role"
OTHER_ROLE = "Stack Contract Other Role"
SAVEPOINT = "stack_contract"


def role(name: str = ROLE, **values) -> dict:
	return {"doctype": "Role", "name": name, "role_name": name, **values}


def _applied(site, *documents: dict) -> None:
	"""Write the documents as one blueprint that succeeds."""
	site.savepoint(SAVEPOINT)
	for document in documents:
		site.write(document)
	site.finish_blueprint()
	site.commit()


def _key(document: dict) -> tuple[str, str]:
	return document["doctype"], document["name"]


# ---- reading and writing ---------------------------------------------------------------------


def a_written_document_reads_back(site, world):
	_applied(site, role())
	key = ("Role", ROLE)
	live = site.live_documents([key])
	assert live[key]["role_name"] == ROLE
	assert site.canonical(live[key])["name"] == ROLE
	assert site.live([key])[key].hash == site.live_hashes([key])[key]


def a_missing_document_is_left_out(site, world):
	key = ("Role", "Stack Contract Nobody")
	assert site.live_documents([key]) == {}
	assert site.live([key]) == {}
	assert site.live_hashes([key]) == {}


def schemas_know_the_doctypes_the_site_has(site, world):
	assert "role_name" in site.schema("Role").fields
	assert site.schema("Stack Contract Nowhere") is None


def writing_the_same_content_keeps_the_hash(site, world):
	_applied(site, role())
	before = site.live_hashes([("Role", ROLE)])
	_applied(site, role())
	assert site.live_hashes([("Role", ROLE)]) == before


def a_field_left_out_goes_back_to_its_default(site, world):
	key = ("Role", ROLE)
	_applied(site, role())
	plain = site.live_hashes([key])[key]
	_applied(site, role(desk_access=0))
	assert site.live_hashes([key])[key] != plain
	_applied(site, role())
	assert site.live_hashes([key])[key] == plain


def deleting_a_missing_document_raises(site, world):
	site.savepoint(SAVEPOINT)
	try:
		site.delete("Role", "Stack Contract Nobody")
	except Exception:
		pass
	else:
		raise AssertionError("deleting a document the site does not have must raise")
	finally:
		site.rollback_to(SAVEPOINT)


def error_text_names_the_error(site, world):
	text = site.error_text(ValueError("the <b>field</b> is missing"))
	assert text.startswith("ValueError") and "is missing" in text


# ---- the transaction guard -------------------------------------------------------------------


def a_rollback_undoes_an_insert(site, world):
	site.savepoint(SAVEPOINT)
	site.write(role())
	site.rollback_to(SAVEPOINT)
	assert site.live_hashes([("Role", ROLE)]) == {}


def a_rollback_undoes_an_update_and_a_delete(site, world):
	_applied(site, role(), role(OTHER_ROLE))
	keys = [("Role", ROLE), ("Role", OTHER_ROLE)]
	before = site.live_hashes(keys)
	site.savepoint(SAVEPOINT)
	site.write(role(desk_access=0))
	site.delete("Role", OTHER_ROLE)
	site.rollback_to(SAVEPOINT)
	assert site.live_hashes(keys) == before


def a_rollback_after_finish_still_undoes_the_blueprint(site, world):
	site.savepoint(SAVEPOINT)
	site.write(role())
	site.finish_blueprint()
	site.rollback_to(SAVEPOINT)
	assert site.live_hashes([("Role", ROLE)]) == {}


def a_rollback_leaves_what_an_earlier_blueprint_committed(site, world):
	_applied(site, role())
	site.savepoint(SAVEPOINT)
	site.write(role(OTHER_ROLE))
	site.rollback_to(SAVEPOINT)
	assert set(site.live_hashes([("Role", ROLE), ("Role", OTHER_ROLE)])) == {("Role", ROLE)}


def a_rollback_undoes_ledger_and_audit_rows(site, world):
	site.savepoint(SAVEPOINT)
	site.write(role())
	site.save_ledger(LedgerEntry("stack-contract", status="Applied"))
	site.audit(AuditRow("stack-contract-undone", "stack-contract", "Success"))
	site.rollback_to(SAVEPOINT)
	site.commit()
	assert "stack-contract" not in site.read_ledger()
	assert "stack-contract-undone" not in world.audit_actions()


def a_commit_keeps_ledger_and_audit_rows(site, world):
	site.savepoint(SAVEPOINT)
	site.write(role())
	site.finish_blueprint()
	site.save_ledger(LedgerEntry("stack-contract", status="Applied", content_hash="abc"))
	site.audit(AuditRow("stack-contract-kept", "stack-contract", "Success", "Role", ROLE))
	site.commit()
	assert site.read_ledger()["stack-contract"].content_hash == "abc"
	assert "stack-contract-kept" in world.audit_actions()


# ---- change marks (frappe_stack.unchanged) ----------------------------------------------------


def change_marks_move_when_a_document_or_a_schema_changes(site, world):
	key = ("Role", ROLE)
	assert site.change_marks([key]) == {key: None}
	_applied(site, role())
	first = site.change_marks([key])[key]
	assert first is not None and site.change_marks([key]) == {key: first}
	schema = site.schema_mark()
	world.desk_edit(key, desk_access=0)
	assert site.change_marks([key])[key] not in (None, first)
	_applied(site, role(OTHER_ROLE))  # a Role is part of the schemas (links to it are judged)
	assert site.schema_mark() != schema


def the_secret_mark_follows_the_site_config(site, world):
	keys = ["stack_contract_secret"]
	world.set_config("stack_contract_secret", "first")
	first = site.secret_mark(keys)
	assert site.secret_mark(keys) == first and "first" not in first
	world.set_config("stack_contract_secret", "second")
	assert site.secret_mark(keys) != first
	assert site.secret_mark([]) == site.secret_mark([])


def a_fingerprint_is_kept_and_forgotten(site, world):
	site.record_fingerprint("stack-contract-fingerprint")
	assert site.recorded_fingerprint() == "stack-contract-fingerprint"
	site.record_fingerprint(None)
	assert site.recorded_fingerprint() is None


SITE_CASES = [
	a_written_document_reads_back,
	a_missing_document_is_left_out,
	schemas_know_the_doctypes_the_site_has,
	writing_the_same_content_keeps_the_hash,
	a_field_left_out_goes_back_to_its_default,
	deleting_a_missing_document_raises,
	error_text_names_the_error,
	a_rollback_undoes_an_insert,
	a_rollback_undoes_an_update_and_a_delete,
	a_rollback_after_finish_still_undoes_the_blueprint,
	a_rollback_leaves_what_an_earlier_blueprint_committed,
	a_rollback_undoes_ledger_and_audit_rows,
	a_commit_keeps_ledger_and_audit_rows,
	change_marks_move_when_a_document_or_a_schema_changes,
	the_secret_mark_follows_the_site_config,
	a_fingerprint_is_kept_and_forgotten,
]
# Every document a site case may leave behind, for the real site's clean-up.
SITE_CASE_KEYS = [("Role", ROLE), ("Role", OTHER_ROLE)]
SITE_CASE_BLUEPRINTS = ["stack-contract"]

# ---- review facts ----------------------------------------------------------------------------

PROBE = "Stack Contract Probe"
PROBE_FIELDS = [
	{"fieldname": "code", "fieldtype": "Data", "label": "Code"},
	{"fieldname": "number", "fieldtype": "Int", "label": "Number"},
	{"fieldname": "amount", "fieldtype": "Float", "label": "Amount"},
]
# Int and Float columns are NOT NULL on Frappe: an empty number is 0.
PROBE_ROWS = [
	{"code": None, "number": 0, "amount": 0.0},
	{"code": "", "number": 3, "amount": 1.5},
	{"code": "  ", "number": 0, "amount": 0.0},
	{"code": "0", "number": -2, "amount": 0.0},
	{"code": "abc", "number": 0, "amount": 2.0},
	{"code": "Abc ", "number": 0, "amount": 0.0},
	{"code": "1e5", "number": 7, "amount": 0.0},
	{"code": " 2 ", "number": 0, "amount": 0.0},
	{"code": "-3.25", "number": 0, "amount": 0.0},
	{"code": ".5", "number": 0, "amount": 0.0},
	{"code": "inf", "number": 0, "amount": 0.0},
	{"code": "12345678901", "number": 0, "amount": 0.0},
]

# (question, arguments, the answer MariaDB gives)
FACT_COUNTS = [
	("count_rows", (PROBE,), 12),
	("count_rows", ("Stack Contract Nowhere",), 0),
	("count_filled", (PROBE, "code"), 9),
	# spaces alone compare equal to '' (the collation pads)
	("count_empty", (PROBE, "code"), 3),
	# 0 in a number column is filled: coalesce() of a number and '' is text, '0' (and Frappe's
	# mandatory check takes 0 too)
	("count_filled", (PROBE, "number"), 12),
	("count_empty", (PROBE, "number"), 0),
	("count_filled", (PROBE, "amount"), 12),
	("count_filled", (PROBE, "no_such_column"), 0),
	("count_empty", ("Stack Contract Nowhere", "code"), 0),
	# text compares without case and trailing spaces (the utf8mb4_unicode_ci collation)
	("count_values", (PROBE, "code", ["abc", "0"]), 3),
	("count_values", (PROBE, "code", []), 0),
	("count_too_long", (PROBE, "code", 4), 2),
	("count_too_long", (PROBE, "number", 1), 1),
	# numbers as the review's check reads them: digits, a sign, a decimal point between digits;
	# no exponent, no infinity, no bare point (Python's float() takes all three)
	("count_not_numeric", (PROBE, "code"), 5),
	("count_not_numeric", (PROBE, "number"), 0),
	("count_not_numeric", (PROBE, "amount"), 0),
]


def answer(facts, question: str, arguments: tuple):
	return getattr(facts, question)(*arguments)


def facts_name_doctypes_and_roles(facts):
	assert PROBE in facts.doctypes()
	assert "Stack Contract Nowhere" not in facts.doctypes()
	assert "System Manager" in facts.roles()


def facts_define_fields_before_property_setters(facts):
	definition = facts.field_definition(PROBE, "code")
	assert (definition["fieldname"], definition["fieldtype"], definition["label"]) == ("code", "Data", "Code")
	assert facts.field_definition(PROBE, "no_such_field") is None


FACT_CASES = [facts_name_doctypes_and_roles, facts_define_fields_before_property_setters]
