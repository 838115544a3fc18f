"""For every review rule, cases it must stay quiet on (test_review_rules)."""

import pytest
from fake_context import FakeContext
from review_cases import (
	GOOD_STATES,
	GOOD_TRANSITIONS,
	PERMS,
	ROLES,
	SITE,
	STANDARD,
	Case,
	cf,
	docperm,
	dt,
	fld,
	report,
	script,
	setter,
	site,
	workflow,
	workspace,
)

QUIET = [
	pytest.param("SS000", Case(script("x = 1\nif x:\n\tpass\n")), id="SS000-parses"),
	pytest.param(
		"SS001",
		Case(script("doc.insert(ignore_permissions=False)\n# doc.insert(ignore_permissions=True)")),
		id="SS001-false-and-comment",
	),
	pytest.param(
		"SS001", Case(script("doc.insert()\nmsg = 'ignore_permissions=True'")), id="SS001-in-string"
	),
	pytest.param(
		"SS002", Case(script("x = 1", script_type="API", api_method="open")), id="SS002-logged-in-only"
	),
	pytest.param(
		"SS003",
		Case(script('frappe.db.sql("select name from tabNote where x = %s", (doc.x,))')),
		id="SS003-parameterized",
	),
	pytest.param(
		"SS003",
		Case(script('q = "select name from tabNote where x = %(x)s"\nfrappe.db.sql(q, {"x": doc.x})')),
		id="SS003-constant-variable",
	),
	pytest.param(
		"SS003", Case(script('frappe.db.get_all("Note", filters={"x": f"{doc.x}"})')), id="SS003-not-sql"
	),
	pytest.param("SS004", Case(script("# frappe.db.commit()\nfrappe.db.rollback()")), id="SS004-comment"),
	pytest.param(
		"SEC001",
		Case(script("x = 1", description="Authorization: Bearer {{ doc.token }}")),
		id="SEC001-template",
	),
	pytest.param(
		"SEC002",
		Case(
			script(
				'h = {"Authorization": f"token {frappe.conf.gh_token}"}\npassword = frappe.conf.get("smtp")'
			)
		),
		id="SEC002-from-config",
	),
	pytest.param("DT001", Case(dt()), id="DT001-has-perms"),
	pytest.param("DT001", Case(dt(permissions=[], istable=1)), id="DT001-child-table"),
	pytest.param(
		"DT001",
		Case(
			dt(permissions=[]),
			others=[
				{"doctype": "Custom DocPerm", "name": "p", "parent": "Beneficiary", "role": "System Manager"}
			],
		),
		id="DT001-custom-docperm",
	),
	pytest.param(
		"DL001",
		Case(dt(fields=[fld("title")]), before=dt(fields=[fld("title"), fld("phone")]), context=SITE),
		id="DL001-field-empty-everywhere",
	),
	pytest.param(
		"DL001",
		Case(dt(fields=[fld("title")]), before=dt(fields=[fld("title"), fld("village")])),
		id="DL001-doctype-not-on-site",
	),
	pytest.param(
		"DL002",
		Case(None, before=dt(), context=FakeContext(extra_doctypes={"Beneficiary"}), tombstoned=True),
		id="DL002-empty",
	),
	pytest.param("DL002", Case(None, before=dt(), context=SITE), id="DL002-released-stays"),
	pytest.param(
		"WF001", Case(workflow(GOOD_STATES, GOOD_TRANSITIONS), others=ROLES), id="WF001-roles-in-repo"
	),
	pytest.param(
		"WF001",
		Case(
			workflow(GOOD_STATES, GOOD_TRANSITIONS),
			context=FakeContext(site_roles={"Field Officer", "Program Officer"}),
		),
		id="WF001-roles-on-site",
	),
	pytest.param("WF002", Case(workflow(GOOD_STATES, GOOD_TRANSITIONS)), id="WF002-all-reachable"),
	pytest.param("WF003", Case(workflow(GOOD_STATES, GOOD_TRANSITIONS)), id="WF003-has-final"),
	pytest.param("WF004", Case(workflow(GOOD_STATES, GOOD_TRANSITIONS)), id="WF004-all-have-roles"),
	pytest.param(
		"LNK001",
		Case(
			dt(fields=[fld("owner_customer", fieldtype="Link", options="Customer")]),
			context=FakeContext(extra_doctypes={"Customer"}),
		),
		id="LNK001-on-site",
	),
	pytest.param(
		"LNK001",
		Case(dt(fields=[fld("home", fieldtype="Link", options="Village")]), others=[dt("Village")]),
		id="LNK001-in-repo",
	),
	pytest.param(
		"LNK001",
		Case(setter("ToDo", "assigned", "reqd", "1"), context=STANDARD),
		id="LNK001-setter-keeps-target",
	),
	pytest.param("FLD001", Case(dt(fields=[fld("village", reqd=1)])), id="FLD001-new-doctype"),
	pytest.param(
		"FLD001",
		Case(
			dt(fields=[fld("village"), fld("phone", reqd=1, default="none")]),
			before=dt(fields=[fld("village")]),
			context=SITE,
		),
		id="FLD001-new-reqd-with-default",
	),
	pytest.param(
		"FLD001",
		Case(
			dt(fields=[fld("village", reqd=1)]),
			before=dt(fields=[fld("village")]),
			context=site(village=["A", "B"]),
		),
		id="FLD001-all-filled",
	),
	pytest.param(
		"FLD001", Case(setter("ToDo", "summary", "reqd", "0"), context=STANDARD), id="FLD001-setter-reqd-0"
	),
	pytest.param(
		"FLD001",
		Case(setter("ToDo", "summary", "reqd", "0", property_type=None), context=STANDARD),
		id="FLD001-setter-reqd-0-without-property-type",
	),
	pytest.param(
		"FLD001",
		Case(None, before=setter("ToDo", "notes", "reqd", "0"), context=STANDARD),
		id="FLD001-setter-released-stays",
	),
	pytest.param(
		"FLD001",
		Case(None, before=setter("ToDo", "summary", "reqd", "1"), context=STANDARD, tombstoned=True),
		id="FLD001-setter-tombstone-makes-optional",
	),
	pytest.param(
		"FLD001", Case(setter("ToDo", "nowhere", "reqd", "1"), context=STANDARD), id="FLD001-setter-no-field"
	),
	pytest.param(
		"FLD002",
		Case(
			dt(fields=[fld("gender", fieldtype="Select", options="\nF\nM")]),
			before=dt(fields=[fld("gender", fieldtype="Select", options="\nF\nM\nX")]),
			context=site(gender=["F", "M"]),
		),
		id="FLD002-value-unused",
	),
	pytest.param(
		"FLD002",
		Case(setter("ToDo", "priority", "options", "High\nMedium\nLow\nUrgent", "Text"), context=STANDARD),
		id="FLD002-setter-widens",
	),
	pytest.param(
		"FLD003",
		Case(
			dt(fields=[fld("size", fieldtype="Int")]),
			before=dt(fields=[fld("size")]),
			context=site(size=["3", "4.5", ""]),
		),
		id="FLD003-all-numeric",
	),
	pytest.param(
		"FLD003",
		Case(setter("ToDo", "code", "fieldtype", "Small Text", "Select"), context=STANDARD),
		id="FLD003-setter-text-to-text",
	),
	pytest.param(
		"FLD004",
		Case(
			dt(fields=[fld("code", length=4)]),
			before=dt(fields=[fld("code")]),
			context=site(code=["ABC", "ABCD"]),
		),
		id="FLD004-values-fit",
	),
	pytest.param(
		"FLD004",
		Case(
			dt(fields=[fld("code", length=200)]),
			before=dt(fields=[fld("code")]),
			context=site(code=["x" * 150]),
		),
		id="FLD004-lengthened",
	),
	pytest.param(
		"FLD004",
		Case(setter("ToDo", "code", "length", "6", "Int"), context=STANDARD),
		id="FLD004-setter-values-fit",
	),
	pytest.param(
		"PRM001", Case(dt(permissions=[*PERMS, {"role": "Guest", "read": 1}])), id="PRM001-guest-read"
	),
	pytest.param(
		"PRM002",
		Case(dt(permissions=[{"role": "Field Officer", "read": 1}]), others=ROLES),
		id="PRM002-role-in-repo",
	),
	pytest.param(
		"PRM002",
		Case(docperm("Auditor"), context=FakeContext(site_roles={"Auditor"})),
		id="PRM002-role-on-site",
	),
	pytest.param("PRM002", Case(workspace("All", "Guest")), id="PRM002-automatic-roles"),
	pytest.param(
		"PRM002",
		Case(workflow([("Draft", "Clerk"), ("Done", "Boss")], [("Draft", "Go", "Done", "Boss")])),
		id="PRM002-workflow-left-to-WF001",
	),
	pytest.param(
		"PRM002", Case(None, before=docperm("Ghost"), tombstoned=True), id="PRM002-permission-removed"
	),
	pytest.param(
		"FLD101",
		Case(
			dt(
				fields=[
					{
						"fieldname": "size",
						"label": "Size",
						"fieldtype": "Int",
						"default": "7",
						"description": "Typical household",
					}
				]
			)
		),
		id="FLD101-described",
	),
	pytest.param(
		"FLD101",
		Case(dt(fields=[{"fieldname": "size", "label": "Size", "fieldtype": "Int", "default": "0"}])),
		id="FLD101-zero",
	),
	pytest.param(
		"FLD101", Case(setter("ToDo", "RefNo", "reqd", "1"), context=STANDARD), id="FLD101-setter-on-reqd"
	),
	pytest.param(
		"FLD102",
		Case(dt(fields=[fld("title"), {"fieldname": "cb", "fieldtype": "Column Break"}])),
		id="FLD102-break",
	),
	pytest.param(
		"FLD102", Case(setter("ToDo", "legacy", "reqd", "1"), context=STANDARD), id="FLD102-setter-on-reqd"
	),
	pytest.param("FLD103", Case(cf("Customer", "home_village2")), id="FLD103-snake"),
	pytest.param(
		"FLD103", Case(setter("ToDo", "RefNo", "reqd", "1"), context=STANDARD), id="FLD103-setter-on-reqd"
	),
	pytest.param(
		"WF101",
		Case(workflow(GOOD_STATES, [(*GOOD_TRANSITIONS[0], "doc.x"), (*GOOD_TRANSITIONS[1], "not doc.x")])),
		id="WF101-all-conditioned",
	),
	pytest.param(
		"RPT101",
		Case(report("select count(*), village from tabBeneficiary group by village")),
		id="RPT101-count-star",
	),
	pytest.param(
		"RPT101",
		Case(
			report("select name, 'a * b' as x, 2 * 3 from tabBeneficiary -- select * later\n/* select * */")
		),
		id="RPT101-star-in-text-and-comments",
	),
	pytest.param(
		"RPT101",
		Case(report("select * from tabX", report_type="Report Builder")),
		id="RPT101-not-query-report",
	),
	pytest.param(
		"STY001",
		Case(dt(fields=[fld("full_name", label="Full name"), fld("dob", label="Date Of Birth")])),
		id="STY001-ok",
	),
	pytest.param(
		"STY001", Case(setter("ToDo", "RefNo", "reqd", "1"), context=STANDARD), id="STY001-setter-on-reqd"
	),
	pytest.param(
		"STY001",
		Case(
			setter("ToDo", "summary", "label", "summary line", "Data"),
			before=setter("ToDo", "summary", "label", "summary line", "Small Text"),
			context=STANDARD,
		),
		id="STY001-setter-value-unchanged",
	),
	pytest.param("DOC001", Case(dt(description=""), before=dt(description="")), id="DOC001-not-new"),
	pytest.param("DOC001", Case(dt()), id="DOC001-described"),
	pytest.param(
		"DOC002",
		Case(
			dt(fields=[fld("village"), fld("phone", description="Mobile")]),
			before=dt(fields=[fld("village")]),
		),
		id="DOC002-described",
	),
]
