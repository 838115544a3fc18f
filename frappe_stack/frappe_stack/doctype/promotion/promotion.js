// The Promotion form. frappe_stack's commands write the record; here people read it (checklist,
// blueprints, deploy steps, status history, pull request and backup) and a Stack Manager can roll
// a deployed or failed promotion back to its backup.

const ROLLBACK_STATUSES = ["Deployed", "Failed"];
const STOPPED_STATUSES = ["Blocked", "Failed", "Rolled Back"];
const CHECK_RESULT_COLOURS = { pass: "green", warn: "orange", fail: "red" };
const STEP_STATUS_COLOURS = {
	Pending: "grey",
	Running: "yellow",
	Success: "green",
	Failure: "red",
	Skipped: "darkgrey",
};

frappe.ui.form.on("Promotion", {
	setup() {
		// checklist results, step and journal statuses as coloured pills, like the list view's; set
		// on the child doctypes' fields before any grid row copies them
		set_pill_formatter("Promotion Check", "result", (value) => CHECK_RESULT_COLOURS[value]);
		set_pill_formatter("Promotion Step", "status", (value) => STEP_STATUS_COLOURS[value]);
		set_pill_formatter("Promotion Event", "status", (value) => {
			const indicator = frappe.get_indicator({ status: value }, "Promotion");
			return indicator && indicator[1];
		});
	},
	refresh(frm) {
		show_pull_request_and_backup(frm);
		add_rollback_buttons(frm);
	},
});

function show_pull_request_and_backup(frm) {
	const doc = frm.doc;
	const lines = [];
	const link = pr_link(doc);
	if (link) {
		lines.push(__("Pull request {0} from branch {1}", [link, code(doc.branch || "?")]));
	} else if (doc.branch) {
		lines.push(__("Branch {0} pushed; no pull request recorded", [code(doc.branch)]));
	}
	if (doc.backup_path) {
		const details = [human_size(doc.backup_size)];
		if (doc.backup_taken_at) details.push(frappe.datetime.str_to_user(doc.backup_taken_at));
		if (doc.backup_site) details.push(esc(doc.backup_site));
		lines.push(
			__("Backup {0} ({1})", [
				`<code class="stack-backup" title="${esc(doc.backup_path)}">${esc(
					file_name(doc.backup_path)
				)}</code>`,
				details.filter(Boolean).join(", "),
			])
		);
	}
	if (doc.failure_reason && STOPPED_STATUSES.includes(doc.status)) {
		lines.push(__("{0}: {1}", [__(doc.status), esc(doc.failure_reason)]));
	}
	frm.set_intro(); // refresh appends to the message area: start from an empty one
	if (lines.length) {
		frm.set_intro(lines.join("<br>"), STOPPED_STATUSES.includes(doc.status) ? "red" : "blue");
	}
}

function set_pill_formatter(doctype, fieldname, colour_of) {
	const df = (frappe.meta.docfield_map[doctype] || {})[fieldname];
	if (!df) return;
	df.formatter = (value) =>
		value
			? `<span class="indicator-pill ${colour_of(value) || "grey"}">${esc(__(value))}</span>`
			: "";
}

function add_rollback_buttons(frm) {
	const doc = frm.doc;
	if (doc.rollback_command) {
		frm.add_custom_button(__("Copy rollback command"), () =>
			frappe.utils.copy_to_clipboard(doc.rollback_command)
		);
	}
	if (
		!frappe.user.has_role("Stack Manager") ||
		!ROLLBACK_STATUSES.includes(doc.status) ||
		!doc.backup_path
	) {
		return;
	}
	const button = frm.add_custom_button(__("Rollback"), () => confirm_rollback(frm));
	button.removeClass("btn-default").addClass("btn-danger");
}

function confirm_rollback(frm) {
	const doc = frm.doc;
	const message = __(
		"Restore backup {0} on site {1}? The database goes back to {2}: everything written on the site since then is lost. The restore runs in a background job; its steps appear in this promotion's status history.",
		[
			`<b class="stack-backup">${esc(file_name(doc.backup_path))}</b>`,
			`<b>${esc(doc.backup_site || doc.target_environment || "?")}</b>`,
			esc(
				doc.backup_taken_at
					? frappe.datetime.str_to_user(doc.backup_taken_at)
					: __("the backup")
			),
		]
	);
	frappe.confirm(message, () =>
		frappe
			.call({
				method: "frappe_stack.api.rollback",
				args: { promotion: doc.name },
				freeze: true,
				freeze_message: __("Queuing the rollback..."),
			})
			.then((r) => {
				const answer = r.message || {};
				frappe.show_alert(
					answer.queued
						? {
								message: __("Rollback of {0} queued (job {1})", [
									doc.name,
									esc(answer.job || "?"),
								]),
								indicator: "orange",
						  }
						: {
								message: __("Rollback of {0} was not queued: {1}", [
									doc.name,
									esc(JSON.stringify(answer)),
								]),
								indicator: "red",
						  },
					10
				);
			})
	);
}

function pr_link(doc) {
	// only an http(s) address becomes a link
	if (!doc.pr_url || !/^https?:\/\//i.test(doc.pr_url)) return "";
	const label = esc(doc.pr_number ? `#${doc.pr_number}` : doc.pr_url);
	return `<a class="stack-pr-link" href="${esc(
		doc.pr_url
	)}" target="_blank" rel="noopener noreferrer">${label}</a>`;
}

function file_name(path) {
	return (path || "").split("/").pop();
}

function human_size(bytes) {
	if (!bytes) return "";
	const units = ["bytes", "KB", "MB", "GB", "TB"];
	let size = bytes;
	let unit = 0;
	while (size >= 1024 && unit < units.length - 1) {
		size /= 1024;
		unit += 1;
	}
	return unit ? `${size.toFixed(1)} ${units[unit]}` : `${size} ${units[0]}`;
}

function code(text) {
	return `<code>${esc(text)}</code>`;
}

function esc(text) {
	return text == null ? "" : frappe.utils.escape_html(String(text));
}
