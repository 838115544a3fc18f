"""What the pre-promote checks ask of a site: who holds the roles a change uses, which apps (and
versions) it runs, which DocTypes it has, and which app owns a DocType or a module."""

import frappe

# Administrator holds every role; counting them would make any role look covered.
NOT_PEOPLE = ("Administrator", "Guest")


def role_holders(roles: list[str]) -> dict[str, list[str]]:
	"""Enabled users, other than Administrator, holding each role (sorted)."""
	holders: dict[str, list[str]] = {role: [] for role in roles}
	if not roles:
		return holders
	rows = frappe.db.sql(
		"""select has_role.role, user.name from `tabHas Role` has_role
		join `tabUser` user on user.name = has_role.parent
		where has_role.parenttype = 'User' and has_role.role in %(roles)s
		and user.enabled = 1 and user.name not in %(not_people)s
		order by user.name""",
		{"roles": tuple(roles), "not_people": NOT_PEOPLE},
	)
	for role, user in rows:
		holders[role].append(user)
	return holders


def roles_absent(roles: list[str]) -> list[str]:
	"""The roles this site does not have (a role check must tell "nobody holds it" from "missing")."""
	present = set(frappe.get_all("Role", filters={"name": ("in", roles)}, pluck="name")) if roles else set()
	return sorted(set(roles) - present)


def installed_apps() -> dict[str, str]:
	apps = {}
	for app in frappe.get_installed_apps():
		try:
			apps[app] = str(frappe.get_attr(f"{app}.__version__"))
		except Exception:  # an app module without __version__ is still installed
			apps[app] = ""
	return apps


def doctypes_present(doctypes: list[str]) -> list[str]:
	if not doctypes:
		return []
	return sorted(frappe.get_all("DocType", filters={"name": ("in", doctypes)}, pluck="name"))


def doctype_apps(doctypes: list[str]) -> dict[str, str]:
	if not doctypes:
		return {}
	modules = dict(
		frappe.get_all("DocType", filters={"name": ("in", doctypes)}, fields=["name", "module"], as_list=True)
	)
	owners = module_apps(sorted(set(modules.values())))
	return {doctype: owners[module] for doctype, module in modules.items() if module in owners}


def module_apps(modules: list[str]) -> dict[str, str]:
	if not modules:
		return {}
	return dict(
		frappe.get_all(
			"Module Def", filters={"name": ("in", modules)}, fields=["name", "app_name"], as_list=True
		)
	)


def system_timezone() -> str:
	from frappe.utils.data import get_system_timezone

	return get_system_timezone()
