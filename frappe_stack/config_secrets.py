"""Which site config values are secret, and the config with them replaced by "(secret)" so that
`env-diff` can show the rest. Names decide first (passwords, keys, tokens...), then shapes of the
values (a URL with a password, a private key, a provider token); when in doubt, a value is hidden."""

import re

from frappe_stack.blueprint.secret_fields import SECRET_SHOWN
from frappe_stack.review.secret_shapes import SHAPES

# Parts of a key's name (split at _ - . and spaces) that make it secret: db_password, encryption_key,
# root_password, my_api_secret, github_token, sentry_dsn, ssl_certificate_key...
SECRET_WORDS = frozenset(
	{
		"password",
		"passwd",
		"pwd",
		"pass",
		"secret",
		"secrets",
		"token",
		"tokens",
		"key",
		"keys",
		"apikey",
		"credential",
		"credentials",
		"private",
		"dsn",
		"salt",
		"signature",
		# an incoming webhook's URL is its own credential: frappe_stack_slack_webhook
		"webhook",
	}
)
# Written together, with no separator: dbpassword, apisecret, accesstoken.
SECRET_INFIXES = ("password", "passwd", "secret", "token", "apikey", "privatekey")
URL_WITH_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@\s]*:[^/@\s]+@", re.IGNORECASE)


def secret_name(key: str) -> bool:
	words = set(re.split(r"[^a-z0-9]+", key.lower()))
	return bool(words & SECRET_WORDS) or any(infix in key.lower() for infix in SECRET_INFIXES)


def secret_value(value) -> bool:
	if not isinstance(value, str):
		return False
	return bool(URL_WITH_PASSWORD.search(value)) or any(pattern.search(value) for _, pattern in SHAPES)


def shareable(value):
	"""`value` (a site config, or anything in it) with every secret replaced by "(secret)"."""
	if isinstance(value, dict):
		return {
			key: SECRET_SHOWN if secret_name(str(key)) and item not in (None, "") else shareable(item)
			for key, item in value.items()
		}
	if isinstance(value, list | tuple):
		return [shareable(item) for item in value]
	return SECRET_SHOWN if secret_value(value) else value
