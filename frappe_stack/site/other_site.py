"""Work on a second site while the first stays open: `check` and `promote` keep staging open from
start to end and visit the target once. Frappe holds one site per thread (frappe.local lives in a
context variable, and a new thread starts with an empty context), so a site of this bench is
opened in a thread of its own and the site open in the caller's thread is not touched. A URL needs
no thread: the remote client holds no Frappe state."""

import threading

from frappe_stack.site.named import open_site


def visit(name: str, work, site_name: str | None = None):
	"""work(site) with `name` (a site of this bench or an http(s) URL) open; its answer or its error."""
	if name.startswith(("http://", "https://")):
		with open_site(name, site_name) as site:
			return work(site)
	outcome = {}

	def run():
		try:
			with open_site(name, site_name) as site:
				outcome["answer"] = work(site)
		except BaseException as exc:  # given to the caller's thread, which raises it
			outcome["error"] = exc

	thread = threading.Thread(target=run, name=f"frappe_stack:{name}")
	thread.start()
	thread.join()
	if "error" in outcome:
		raise outcome["error"]
	return outcome["answer"]
