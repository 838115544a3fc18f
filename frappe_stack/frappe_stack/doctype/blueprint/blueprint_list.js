// The blueprint ledger: green when the site matches what was applied, orange when the repository
// has something not applied yet, yellow when someone edited a managed document on the site, red when
// the last apply failed, grey when the blueprint left the repository (its documents stay).

const BLUEPRINT_STATUS_COLOURS = {
	Applied: "green",
	Pending: "orange",
	Drifted: "yellow",
	Failed: "red",
	Orphaned: "grey",
};

frappe.listview_settings["Blueprint"] = {
	add_fields: ["status"],
	get_indicator(doc) {
		const colour = BLUEPRINT_STATUS_COLOURS[doc.status] || "grey";
		return [__(doc.status), colour, `status,=,${doc.status}`];
	},
};
