app_name = "stack_adopt_demo"
app_title = "Stack Adopt Demo"
app_publisher = "frappe_stack developers"
app_description = "A test app for frappe_stack adopt"
app_license = "MIT"

# Every form apps write the fixtures hook in: a plain DocType name; dicts keyed dt or doctype;
# filters as 3- and 4-item lists and as dicts; or_filters; an unsupported doctype.
fixtures = [
	"Client Script",
	{"dt": "Role", "filters": [["name", "in", ["Adopt Demo Clerk", "Adopt Demo Auditor"]]]},
	{"doctype": "Custom Field", "filters": {"module": "Adopt Demo"}},
	{
		"dt": "Property Setter",
		"filters": [
			["Property Setter", "doc_type", "=", "Note"],
			["Property Setter", "module", "=", "Adopt Demo"],
		],
	},
	{
		"dt": "Print Format",
		"filters": {"standard": "No"},
		"or_filters": [["name", "like", "Adopt Demo%"], ["doc_type", "=", "Note"]],
	},
	{"dt": "Blog Category", "filters": {"title": ["like", "Adopt Demo%"]}},
]
