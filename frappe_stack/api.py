"""The whitelisted methods' public address: `/api/method/frappe_stack.api.<name>`. Clients (the
`frappe-stack` console script, the Promotion form's Rollback button) call them here; they live in
the adapter (frappe_stack.site.http_api), the only place that imports frappe."""

from frappe_stack.site.http_api import (  # noqa: F401  (each name is part of the HTTP API)
	backup_status,
	describe,
	diagnosis,
	documents,
	environment,
	facts,
	request_backup,
	rollback,
	target_facts,
)
