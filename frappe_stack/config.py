"""`frappe-stack.toml` at the config repo root. Named environments say where a site is:

    [environments.staging]
    url = "https://staging.example.com"   # reached over HTTP with FRAPPE_STACK_API_KEY/SECRET
    site_name = "staging.example.com"     # optional: the X-Frappe-Site-Name header

Secrets never live in this file; they come from the environment.
"""

from pathlib import Path

from frappe_stack.errors import StackError

CONFIG_FILE = "frappe-stack.toml"


def environment(root: str | Path, name: str) -> dict:
	file = Path(root) / CONFIG_FILE
	if not file.is_file():
		raise StackError(f'{file}: not found; create it with [environments.{name}] url = "https://..."')
	try:
		import tomllib
	except ModuleNotFoundError:  # Python 3.10
		raise StackError("reading frappe-stack.toml needs Python 3.11 or newer; pass --url instead") from None
	try:
		data = tomllib.loads(file.read_text(encoding="utf-8"))
	except tomllib.TOMLDecodeError as e:
		raise StackError(f"{file}: {e}; fix the TOML syntax there") from None
	environments = data.get("environments") or {}
	if name not in environments:
		known = ", ".join(sorted(environments)) or "none"
		raise StackError(f"{file}: environments.{name} is not defined (defined: {known}); add it")
	env = environments[name]
	if not isinstance(env, dict) or not env.get("url"):
		raise StackError(f'{file}: environments.{name}.url is missing; add url = "https://..."')
	return {"url": env["url"], "site_name": env.get("site_name")}
