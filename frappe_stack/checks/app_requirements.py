"""Environment: the target must have every app the changed blueprints need, at the minimum
version they name (`requires`), and every DocType they reference that the repo does not define.
Apps are also needed when staging says a referenced DocType or a document's module belongs to
them; those carry no minimum, but a target older than staging is worth a warning."""

import re
from dataclasses import dataclass

from frappe_stack.blueprint.validate import BlueprintSet
from frappe_stack.checks.result import FAIL, PASS, WARN, CheckResult
from frappe_stack.review.change import Change

VERSION = re.compile(r"\d+(\.\d+)*")


@dataclass(frozen=True)
class Needs:
	apps: dict[str, str]  # app -> minimum version ("" for any)
	why: dict[str, str]  # app -> first reason, for the detail
	doctypes: list[str]  # referenced DocTypes the repo does not define


def referenced_doctypes(change: Change) -> list[str]:
	"""DocTypes the changed documents point at (links, targets) that the repo itself does not define."""
	return sorted(change.referenced("DocType") - change.head_names("DocType"))


def modules_used(change: Change) -> list[str]:
	return sorted({doc.after["module"] for doc in change.docs if doc.after and doc.after.get("module")})


def needs(
	change: Change, head: BlueprintSet, doctype_apps: dict[str, str], module_apps: dict[str, str]
) -> Needs:
	"""`doctype_apps` and `module_apps` are staging's answers: which app owns each referenced
	DocType and each module the changed documents name."""
	changed = {doc.blueprint for doc in change.docs}
	apps: dict[str, str] = {}
	why: dict[str, str] = {}
	for bp in head.blueprints:
		if bp.name in changed:
			for app, version in bp.requires.items():
				if app not in apps or _newer(version, apps[app]):
					apps[app] = version
					why[app] = f"blueprint {bp.name} requires {app} {version}".rstrip()
	doctypes = referenced_doctypes(change)
	for doctype in doctypes:
		if app := doctype_apps.get(doctype):
			apps.setdefault(app, "")
			why.setdefault(app, f"DocType {doctype} comes from {app}")
	for module in modules_used(change):
		if app := module_apps.get(module):
			apps.setdefault(app, "")
			why.setdefault(app, f"module {module} belongs to {app}")
	return Needs(dict(sorted(apps.items())), why, doctypes)


def with_applier(need: Needs) -> Needs:
	"""Blueprints reach a site only through frappe_stack's applier (at migrate), so any target needs it."""
	return Needs(
		dict(sorted({"frappe_stack": "", **need.apps}.items())),
		{"frappe_stack": "its applier runs the blueprints at migrate", **need.why},
		need.doctypes,
	)


def environment_check(
	need: Needs,
	target_apps: dict[str, str],
	target_doctypes: list[str],
	staging_apps: dict[str, str],
	target: str,
) -> CheckResult:
	problems, warnings = [], []
	for app, minimum in need.apps.items():
		have = target_apps.get(app)
		if have is None:
			problems.append(f"{app} is not installed ({need.why[app]})")
		elif minimum and _newer(minimum, have):
			problems.append(f"{app} {have} is older than {minimum} ({need.why[app]})")
		elif staging_apps.get(app) and _newer(staging_apps[app], have):
			warnings.append(f"{app} {have} is older than staging's {staging_apps[app]}")
	missing = sorted(set(need.doctypes) - set(target_doctypes))
	if missing:
		problems.append(f"DocType {', '.join(missing)} missing")
	data = {
		"needs": need.apps,
		"target_apps": dict(sorted(target_apps.items())),
		"missing_doctypes": missing,
		"problems": problems,
		"warnings": warnings,
	}
	if problems:
		return CheckResult(
			"environment",
			FAIL,
			f"{target}: {'; '.join(problems)}: install or upgrade the apps on {target} first",
			data,
		)
	have = ", ".join(f"{app} {target_apps[app]}" for app in need.apps) or "no app beyond Frappe"
	if warnings:
		return CheckResult("environment", WARN, f"{target} has {have}; {'; '.join(warnings)}", data)
	return CheckResult("environment", PASS, f"{target} has what the change needs: {have}", data)


def _version(text: str) -> tuple[int, ...]:
	"""The numeric part: 15.0.0-dev, v15.0.0 and 15 compare equal."""
	found = VERSION.search(text or "")
	parts = [int(part) for part in found.group().split(".")] if found else []
	while parts and parts[-1] == 0:  # 15 and 15.0.0 are the same version
		parts.pop()
	return tuple(parts)


def _newer(a: str, b: str) -> bool:
	return bool(a) and _version(a) > _version(b)
