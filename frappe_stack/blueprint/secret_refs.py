"""Secrets as references: a Password field (a Webhook's secret) may hold, instead of the secret,
the name of the site config key that holds it:

	"webhook_secret": {"site_config": "crm_webhook_secret"}

The applier resolves it on each site (so staging and production keep their own secrets), and a
site reads back as the same reference while the stored secret equals that key's value, so plan is
clean after apply and a changed key is a pending change. The secret itself is never in a file."""

import re

SITE_CONFIG = "site_config"
CONFIG_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def is_reference(value) -> bool:
	return (
		isinstance(value, dict)
		and set(value) == {SITE_CONFIG}
		and isinstance(value[SITE_CONFIG], str)
		and bool(CONFIG_KEY.match(value[SITE_CONFIG]))
	)


def reference(key: str) -> dict:
	return {SITE_CONFIG: key}


def resolve(value, config: dict):
	"""The secret a reference names, or the value itself when it is no reference. KeyError (with
	the key) when the site config lacks it."""
	if not is_reference(value):
		return value
	key = value[SITE_CONFIG]
	secret = config.get(key)
	if not isinstance(secret, str) or not secret:
		raise KeyError(key)
	return secret


def key_holding(secret: str, config: dict) -> str | None:
	"""The site config key whose value is `secret` (the first by name when several are), or None."""
	if not secret:
		return None
	return next((key for key in sorted(config) if config[key] == secret and CONFIG_KEY.match(key)), None)
