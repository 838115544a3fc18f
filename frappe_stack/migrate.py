"""`after_migrate`: `bench migrate` applies the configured blueprints, after Frappe's own
fixtures and customizations, and fails the migrate when a blueprint fails (so CI can roll back)."""

import click

from frappe_stack import render, stack
from frappe_stack.errors import StackError
from frappe_stack.site.frappe_site import FrappeSite
from frappe_stack.sources import resolve_sources


class BlueprintsFailed(StackError):
	pass


def after_migrate():
	site = FrappeSite()
	if not resolve_sources(site):
		return
	result = stack.apply(site)
	click.echo(render.apply_text(result, site.site_name()))
	if result.failed:
		names = ", ".join(r.blueprint for r in result.failed)
		raise BlueprintsFailed(
			f"frappe_stack: blueprint(s) did not apply: {names}; see `frappe-stack status`"
		)
