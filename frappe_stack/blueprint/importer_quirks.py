"""What Frappe's own importer leaves on sites, written so that the file applies elsewhere.

DocType.make_amendable() looks for `amended_from` in the database, not in the document, so
importing a submittable DocType that already lists it (every exported one does) adds a second
row: every site that loaded such a DocType from fixtures holds it twice, and Frappe refuses the
DocType anywhere it is saved again. Export keeps the first row and says so; any other
fieldname twice is a real problem and validation refuses it.
"""


def drop_extra_amended_from(doc: dict) -> list[str]:
	"""Remove the rows Frappe's importer added from a DocType document; what was removed, said."""
	rows = doc.get("fields") or []
	at = [index for index, row in enumerate(rows) if row.get("fieldname") == "amended_from"]
	if doc.get("doctype") != "DocType" or not doc.get("is_submittable") or len(at) < 2:
		return []
	doc["fields"] = [row for index, row in enumerate(rows) if index not in at[1:]]
	return [
		f"DocType '{doc['name']}' fields[{index}]: a second 'amended_from' row, added by Frappe's importer; "
		"the file keeps the first. Delete the extra row in the DocType form on the site"
		for index in at[1:]
	]
