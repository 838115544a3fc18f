"""For every review rule, cases that fire it and words its message must hold (test_review_rules)."""

import pytest
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

FIRES = [
	pytest.param("SS000", Case(script("x = 1\nif x\n\tpass\n")), "at line 2", id="SS000-syntax-error"),
	pytest.param("SS001", Case(script("doc.insert(ignore_permissions=True)")), "line 1", id="SS001-kwarg"),
	pytest.param(
		"SS001",
		Case(script("d = frappe.get_doc('Note', 'x')\nd.flags.ignore_permissions = True\nd.save()")),
		"line 2",
		id="SS001-flags",
	),
	pytest.param(
		"SS001", Case(script("frappe.flags.ignore_permissions = 1")), "frappe.flags", id="SS001-global-flag"
	),
	pytest.param(
		"SS002",
		Case(script("frappe.response['x'] = 1", script_type="API", api_method="open", allow_guest=1)),
		"'open'",
		id="SS002-guest-api",
	),
	pytest.param(
		"SS003",
		Case(script('frappe.db.sql(f"select name from tabNote where x = {doc.x}")')),
		"f-string",
		id="SS003-fstring",
	),
	pytest.param(
		"SS003",
		Case(script("frappe.db.sql(\"select name from tabNote where x = '%s'\" % doc.x)")),
		"% formatting",
		id="SS003-percent",
	),
	pytest.param(
		"SS003",
		Case(script('frappe.db.sql("select {} from tabNote".format(col))')),
		".format()",
		id="SS003-format",
	),
	pytest.param(
		"SS003",
		Case(script('frappe.db.sql_list("select name from tabNote where x = \'" + doc.x + "\'")')),
		"+ concatenation",
		id="SS003-concat-sql_list",
	),
	pytest.param(
		"SS003",
		Case(script('q = "select name from tabNote"\nq += " where x = " + doc.x\nrows = frappe.db.sql(q)')),
		"line 3",
		id="SS003-via-variable",
	),
	pytest.param(
		"SS003",
		Case(script('frappe.db.multisql({"mariadb": f"select {c}", "postgres": "select 1"})')),
		"multisql",
		id="SS003-multisql",
	),
	pytest.param("SS004", Case(script("doc.save()\nfrappe.db.commit()")), "line 2", id="SS004-commit"),
	pytest.param("SEC001", Case(script("x = 1", description="token ghp_" + "a" * 36)), "GitHub", id="SEC001"),
	pytest.param(
		"SEC002",
		Case(script('requests.get(url, headers={"Authorization": "Basic dXNlcjpodW50ZXIy"})')),
		"Authorization",
		id="SEC002-header",
	),
	pytest.param("SEC002", Case(script('password = "hunter2"')), "'password'", id="SEC002-assign"),
	pytest.param(
		"SEC002", Case(script('smtp.login(user="a", password="hunter2")')), "line 1", id="SEC002-kwarg"
	),
	pytest.param("DT001", Case(dt(permissions=[])), "no permission rows", id="DT001"),
	pytest.param(
		"DL001",
		Case(dt(fields=[fld("title")]), before=dt(fields=[fld("title"), fld("village")]), context=SITE),
		"2 row(s)",
		id="DL001-docfield",
	),
	pytest.param(
		"DL001",
		Case(None, before=cf("Beneficiary", "village"), context=SITE, tombstoned=True),
		"2 row(s)",
		id="DL001-custom-field-tombstone",
	),
	pytest.param(
		"DL001",
		Case(None, context=SITE, tombstoned=True, key=("Custom Field", "Beneficiary-village")),
		"Beneficiary.village",
		id="DL001-tombstone-of-unmanaged-field",
	),
	pytest.param("DL002", Case(None, before=dt(), context=SITE, tombstoned=True), "3 row(s)", id="DL002"),
	pytest.param(
		"WF001",
		Case(
			workflow([("Draft", "Clerk"), ("Done", "Program Officer")], [("Draft", "Go", "Done", "Boss")]),
			others=ROLES,
		),
		"'Boss'",
		id="WF001",
	),
	pytest.param(
		"WF002",
		Case(workflow([*GOOD_STATES, ("Limbo", "Field Officer")], GOOD_TRANSITIONS), others=ROLES),
		"'Limbo' cannot be reached",
		id="WF002",
	),
	pytest.param(
		"WF003",
		Case(
			workflow(
				[("Draft", "Field Officer"), ("Review", "Program Officer")],
				[
					("Draft", "Submit", "Review", "Field Officer"),
					("Review", "Return", "Draft", "Program Officer"),
				],
			),
			others=ROLES,
		),
		"no final state",
		id="WF003",
	),
	pytest.param(
		"WF004",
		Case(workflow([*GOOD_STATES[:2], ("Rejected", None)], GOOD_TRANSITIONS)),
		"'Rejected'",
		id="WF004",
	),
	pytest.param(
		"LNK001",
		Case(dt(fields=[fld("home", fieldtype="Link", options="Village")])),
		"'Village'",
		id="LNK001-docfield",
	),
	pytest.param(
		"LNK001",
		Case(cf("Customer", "items", fieldtype="Table", options="Nope Item")),
		"Table",
		id="LNK001-custom-field",
	),
	pytest.param(
		"LNK001", Case(dt(fields=[fld("home", fieldtype="Link")])), "names no DocType", id="LNK001-no-options"
	),
	pytest.param(
		"LNK001",
		Case(setter("ToDo", "assigned", "options", "Nobody", "Text"), context=STANDARD),
		"ToDo.assigned points to DocType 'Nobody'",
		id="LNK001-property-setter",
	),
	pytest.param(
		"FLD001",
		Case(dt(fields=[fld("village", reqd=1)]), before=dt(fields=[fld("village")]), context=SITE),
		"1 existing row(s)",
		id="FLD001-reqd-0-to-1",
	),
	pytest.param(
		"FLD001",
		Case(
			dt(fields=[fld("village"), fld("phone", reqd=1)]),
			before=dt(fields=[fld("village")]),
			context=SITE,
		),
		"3 existing row(s)",
		id="FLD001-new-reqd-field",
	),
	pytest.param(
		"FLD001",
		Case(cf("Beneficiary", "code", reqd=1), context=SITE),
		"3 existing row(s)",
		id="FLD001-new-custom-field",
	),
	pytest.param(
		"FLD001",
		Case(setter("ToDo", "summary", "reqd", "1"), context=STANDARD),
		"ToDo.summary becomes mandatory but is empty in 2 existing row(s)",
		id="FLD001-property-setter",
	),
	pytest.param(
		"FLD001",
		Case(None, before=setter("ToDo", "notes", "reqd", "0"), context=STANDARD, tombstoned=True),
		"ToDo.notes becomes mandatory but is empty in 2 existing row(s)",
		id="FLD001-setter-tombstone-restores-mandatory",
	),
	pytest.param(
		"FLD001",
		Case(
			setter("Beneficiary", "village", "reqd", "1"), context=SITE, others=[dt(fields=[fld("village")])]
		),
		"1 existing row(s)",
		id="FLD001-setter-on-a-field-the-repo-defines",
	),
	pytest.param(
		"FLD002",
		Case(
			dt(fields=[fld("gender", fieldtype="Select", options="\nF\nM")]),
			before=dt(fields=[fld("gender", fieldtype="Select", options="\nF\nM\nX")]),
			context=site(gender=["F", "X", "X"]),
		),
		"X still held by 2 row(s)",
		id="FLD002",
	),
	pytest.param(
		"FLD002",
		Case(setter("ToDo", "priority", "options", "High\nMedium", "Text"), context=STANDARD),
		"ToDo.priority drops option(s) Low still held by 2 row(s)",
		id="FLD002-property-setter",
	),
	pytest.param(
		"FLD003",
		Case(
			dt(fields=[fld("size", fieldtype="Int")]),
			before=dt(fields=[fld("size")]),
			context=site(size=["3", "many", ""]),
		),
		"1 row(s)",
		id="FLD003-data-to-int",
	),
	pytest.param(
		"FLD003",
		Case(setter("ToDo", "code", "fieldtype", "Int", "Select"), context=STANDARD),
		"from Data to Int but 2 row(s)",
		id="FLD003-property-setter",
	),
	pytest.param(
		"FLD004",
		Case(
			dt(fields=[fld("code", length=4)]),
			before=dt(fields=[fld("code")]),
			context=site(code=["ABC", "ABCDEF"]),
		),
		"1 row(s)",
		id="FLD004-length",
	),
	pytest.param(
		"FLD004",
		Case(
			dt(fields=[fld("note")]),
			before=dt(fields=[fld("note", fieldtype="Text")]),
			context=site(note=["x" * 141, "short"]),
		),
		"140 characters",
		id="FLD004-text-to-data",
	),
	pytest.param(
		"FLD004",
		Case(setter("ToDo", "code", "length", "4", "Int"), context=STANDARD),
		"shrinks to 4 characters but 1 row(s)",
		id="FLD004-property-setter",
	),
	pytest.param(
		"PRM001",
		Case(dt(permissions=[*PERMS, {"role": "Guest", "read": 1, "write": 1}])),
		"'Guest' write",
		id="PRM001-doctype",
	),
	pytest.param(
		"PRM001",
		Case({"doctype": "Custom DocPerm", "name": "p1", "parent": "Customer", "role": "All", "create": 1}),
		"create Customer",
		id="PRM001-custom-docperm",
	),
	pytest.param(
		"PRM002",
		Case(dt(permissions=[*PERMS, {"role": "Ghost", "read": 1}])),
		"DocType 'Beneficiary': role 'Ghost' exists neither in the repo nor on the site",
		id="PRM002-doctype-permission",
	),
	pytest.param("PRM002", Case(docperm("Ghost")), "'Ghost'", id="PRM002-custom-docperm"),
	pytest.param(
		"PRM002",
		Case(report("select name from tabBeneficiary", roles=[{"role": "Ghost"}])),
		"Report 'Village Counts': role 'Ghost'",
		id="PRM002-report-roles",
	),
	pytest.param("PRM002", Case(workspace("All", "Ghost")), "'Ghost'", id="PRM002-workspace-roles"),
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
						"description": None,
					}
				]
			)
		),
		"defaults to 7",
		id="FLD101",
	),
	pytest.param(
		"FLD101",
		Case(setter("ToDo", "RefNo", "default", "9", "Text"), context=STANDARD),
		"defaults to 9",
		id="FLD101-property-setter",
	),
	pytest.param(
		"FLD102", Case(dt(fields=[{"fieldname": "size", "fieldtype": "Int"}])), "no label", id="FLD102"
	),
	pytest.param("FLD103", Case(cf("Customer", "HomeVillage")), "'HomeVillage'", id="FLD103"),
	pytest.param(
		"WF101",
		Case(workflow(GOOD_STATES, [(*GOOD_TRANSITIONS[0], "doc.score > 5"), GOOD_TRANSITIONS[1]])),
		"'Reject'",
		id="WF101",
	),
	pytest.param("RPT101", Case(report("select * from `tabBeneficiary`")), "selects *", id="RPT101-star"),
	pytest.param(
		"RPT101", Case(report("SELECT name, b.* FROM tabBeneficiary b")), "selects *", id="RPT101-alias-star"
	),
	pytest.param(
		"RPT101",
		Case(report("select name from (select * from tabBeneficiary) t")),
		"selects *",
		id="RPT101-subquery",
	),
	pytest.param(
		"STY001", Case(dt(fields=[fld("full_name", label="full name")])), "lower-case", id="STY001-lower"
	),
	pytest.param("STY001", Case(cf("Customer", "code", label="Code ")), "spaces", id="STY001-spaces"),
	pytest.param(
		"STY001",
		Case(setter("ToDo", "summary", "label", "summary line", "Data"), context=STANDARD),
		"lower-case",
		id="STY001-property-setter",
	),
	pytest.param("DOC001", Case(dt(description="")), "no description", id="DOC001"),
	pytest.param(
		"DOC002",
		Case(
			dt(fields=[fld("village"), {"fieldname": "phone", "label": "Phone", "description": None}]),
			before=dt(fields=[fld("village")]),
		),
		"Beneficiary.phone",
		id="DOC002",
	),
]
