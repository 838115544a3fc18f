// Promotion list: one coloured pill per status (README.md in this folder explains the scheme).
// The form's header indicator uses the same settings.

const PROMOTION_STATUS_COLOURS = {
	// not started
	Draft: "grey",
	// moving forward: ready for a pull request, merged, being deployed
	"Checks Passed": "blue",
	Merged: "purple",
	Deploying: "yellow",
	// waiting for people to review the pull request
	"PR Open": "orange",
	// live in production
	Deployed: "green",
	// closed: released and tagged, nothing left to do
	Shipped: "darkgrey",
	// stopped: someone has to look
	Blocked: "red",
	Failed: "red",
	"Rolled Back": "red",
};

frappe.listview_settings["Promotion"] = {
	add_fields: ["status"],
	get_indicator(doc) {
		const colour = PROMOTION_STATUS_COLOURS[doc.status] || "grey";
		return [__(doc.status), colour, `status,=,${doc.status}`];
	},
};
