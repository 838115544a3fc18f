// The audit log: what frappe_stack did, coloured by how it went.

const AUDIT_RESULT_COLOURS = {
	Success: "green",
	Failed: "red",
	Skipped: "grey",
};

frappe.listview_settings["Stack Audit Log"] = {
	add_fields: ["result"],
	get_indicator(doc) {
		const colour = AUDIT_RESULT_COLOURS[doc.result] || "grey";
		return [__(doc.result), colour, `result,=,${doc.result}`];
	},
};
