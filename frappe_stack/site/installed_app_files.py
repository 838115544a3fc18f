"""What the installed apps ship as files Frappe syncs (fixtures/, custom/*.json), and what adopt
needs to know of one app: the Frappe side of frappe_stack.adopt."""

from pathlib import Path

import frappe

from frappe_stack.adopt.adoption import AdoptResult, AppInfo, adopt
from frappe_stack.adopt.shipped_documents import Shipped, read_app
from frappe_stack.errors import StackError


def shipped_documents() -> list[Shipped]:
	"""Every document an installed app ships in a file (unreadable files are adopt's to report)."""
	found = []
	for app in frappe.get_installed_apps():
		documents, _ = read_app(app, Path(frappe.get_app_path(app)), module_folders(app))
		found += documents
	return found


def module_folders(app: str) -> list[str]:
	"""The app's module folders, as sync_customizations walks them (modules.txt, scrubbed)."""
	return [frappe.scrub(module) for module in frappe.get_module_list(app)]


def app_info(app: str) -> AppInfo:
	installed = frappe.get_installed_apps()
	if app not in installed:
		raise StackError(
			f"app '{app}' is not installed on site {frappe.local.site}; installed: {', '.join(installed)}. "
			f"Fix: pass one of those to --app, or `bench --site {frappe.local.site} install-app {app}` first"
		)
	return AppInfo(
		app,
		Path(frappe.get_app_path(app)),
		module_folders(app),
		list(frappe.get_hooks("fixtures", app_name=app) or []),
	)


def adopt_app(site, app: str, path: str | None) -> AdoptResult:
	return adopt(site, app_info(app), path)
