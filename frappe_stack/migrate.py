"""`after_migrate`: `bench migrate` applies the configured blueprints, after Frappe's own
fixtures and customizations, and fails the migrate when a blueprint fails (so CI can roll back)."""

import click

from frappe_stack import render, stack
from frappe_stack.errors import StackError
from frappe_stack.site.frappe_site import FrappeSite


class BlueprintsFailed(StackError):
	pass


def after_migrate():
	site = FrappeSite()
	try:
		result = stack.apply(site)
	except stack.NoBlueprintSource:  # a site that keeps no blueprints: nothing to apply
		return
	click.echo(render.apply_text(result, site.site_name()))
	if result.failed:
		names = ", ".join(r.blueprint for r in result.failed)
		raise BlueprintsFailed(
			f"frappe_stack: blueprint(s) did not apply: {names}; see `frappe-stack status`"
		)
