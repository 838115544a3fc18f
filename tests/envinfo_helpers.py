"""Helpers shared by test_envinfo_* (split from one test file).

env-diff and diagnose: comparing two sites' facts, judging one site's health, rendering both; and
the remote client and `frappe-stack env-diff|diagnose` against a fake Frappe on 127.0.0.1."""

from datetime import datetime, timedelta, timezone

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=timezone.utc)


def environment(site: str = "staging.example.com", **changes) -> dict:
	facts = {
		"site": site,
		"apps": {
			"frappe": {"version": "15.50.0", "branch": "version-15", "commit": "32af4c50b0"},
			"frappe_stack": {"version": "0.1.0", "branch": "main", "commit": "808e99a"},
		},
		"python": "3.11.2",
		"database": {"type": "mariadb", "version": "10.11.6-MariaDB"},
		"time_zone": "Asia/Kolkata",
		"scheduler": {"enabled": True, "paused": False},
		"maintenance_mode": False,
		"config": {
			"db_name": f"_{site[:4]}",
			"db_password": "(secret)",
			"host_name": f"https://{site}",
			"maintenance_mode": 0,
			"background_workers": 1,
		},
		"domains": [site],
		"certificates": [
			{
				"name": site,
				"source": f"tls {site}:443",
				"not_after": "2026-07-01T00:00:00+00:00",
				"subject": f"CN={site}",
				"untrusted": None,
				"error": None,
			}
		],
	}
	for key, value in changes.items():
		facts[key] = value
	return facts


def production(**changes) -> dict:
	facts = environment("erp.example.com")
	facts["certificates"][0]["not_after"] = "2026-08-15T00:00:00+00:00"
	return facts | changes


def healthy(now: datetime = NOW, **changes) -> dict:
	facts = {
		"site": "erp.example.com",
		"reachable": True,
		"database": {"ok": True},
		"maintenance_mode": False,
		"scheduler": {
			"enabled": True,
			"paused": False,
			"dormant": False,
			"last_run": (now - timedelta(minutes=3)).isoformat(),
		},
		"queues": {
			"ok": True,
			"workers": 3,
			"depths": {"default": 2, "long": 0, "short": 0},
			"started": [],
			"queued": [
				{
					"id": "erp.example.com::a",
					"queue": "default",
					"method": "frappe.email.queue.flush",
					"enqueued_at": (now - timedelta(minutes=1)).isoformat(),
					"started_at": None,
					"timeout": 300,
				}
			],
		},
		"errors_last_hour": {"count": 0, "top_methods": []},
		"certificates": [],
	}
	return facts | changes
