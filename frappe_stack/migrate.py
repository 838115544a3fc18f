"""`after_migrate`: `bench migrate` applies the configured blueprints, after Frappe's own
fixtures and customizations, and fails the migrate when a blueprint fails (so CI can roll back).
Each failure's real error is in the exception and in a file of the site that a restore leaves
alone (frappe_stack.site.apply_record), where deploy reads it."""

import click

from frappe_stack import apply_failures, render, stack
from frappe_stack.errors import StackError
from frappe_stack.site import apply_record
from frappe_stack.site.frappe_site import FrappeSite


class BlueprintsFailed(StackError):
	pass


def after_migrate():
	site = FrappeSite()
	try:
		result = stack.apply(site)
	except stack.NoBlueprintSource:  # a site that keeps no blueprints: nothing to apply
		return
	except StackError as e:  # the repo did not validate: nothing was written
		apply_record.write(
			site.site_name(), apply_failures.error_record(site.site_name(), site.now(), str(e))
		)
		raise
	click.echo(render.apply_text(result, site.site_name()))
	record = apply_failures.record_of(result, site.site_name(), site.now())
	apply_record.write(site.site_name(), record)
	if result.failed:
		raise BlueprintsFailed(
			f"frappe_stack: {apply_failures.failed_message(record)}; see `frappe-stack status`"
		)
