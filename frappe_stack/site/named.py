"""A site named on the command line of `env-diff`, `diagnose` and `check --target`: an http(s) URL, reached with the
remote client (keys from FRAPPE_STACK_API_KEY/SECRET), or a site of this bench, opened for as long
as it is used, so that several can be read one after the other in one command."""

import os
from contextlib import contextmanager
from pathlib import Path

from frappe.utils import get_bench_path

from frappe_stack.errors import StackError
from frappe_stack.remote import RemoteSite
from frappe_stack.site.frappe_site import connected


@contextmanager
def open_site(name: str, site_name: str | None = None):
	"""`site_name`: the X-Frappe-Site-Name header for a URL whose host is not the site's name."""
	if name.startswith(("http://", "https://")):
		yield RemoteSite(
			name,
			os.environ.get("FRAPPE_STACK_API_KEY", ""),
			os.environ.get("FRAPPE_STACK_API_SECRET", ""),
			site_name,
		)
		return
	if not (Path(get_bench_path()) / "sites" / name / "site_config.json").is_file():
		raise StackError(
			f"{name}: neither a site of this bench nor an http(s) URL; pass a folder name of sites/ "
			"or a URL such as https://erp.example.com"
		)
	with connected(name) as site:
		yield site
