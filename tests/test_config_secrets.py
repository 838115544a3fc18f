"""Site config as env-diff shows it: secret values replaced, everything else as it is."""

import pytest

from frappe_stack.config_secrets import SECRET_SHOWN, secret_name, shareable


@pytest.mark.parametrize(
	"key",
	[
		"db_password",
		"encryption_key",
		"root_password",
		"admin_password",
		"mail_password",
		"rq_password",
		"my_api_secret",
		"github_token",
		"sentry_dsn",
		"ssl_certificate_key",
		"S3_SECRET_ACCESS_KEY",
		"dbpassword",
		"stripe-api-key",
		"private_key",
		"frappe_stack_slack_webhook",
	],
)
def test_secret_names(key):
	assert secret_name(key)


@pytest.mark.parametrize(
	"key",
	[
		"db_name",
		"db_host",
		"host_name",
		"redis_queue",
		"use_rq_auth",
		"maintenance_mode",
		"bypass_2fa",
		"monkey",
	],
)
def test_plain_names(key):
	assert not secret_name(key)


def test_secret_values_are_replaced_and_the_rest_kept():
	conf = {
		"db_name": "_abc",
		"db_password": "hunter2",
		"encryption_key": "Zm9vYmFy",
		"my_api_secret": "s3cr3t-value",
		"db_port": 3306,
		"allow_tests": True,
		"redis_queue": "redis://:queuepass@127.0.0.1:11000",
		"redis_cache": "redis://127.0.0.1:13000",
		"note": "ghp_" + "a" * 36,
		"domains": [{"domain": "erp.example.com", "ssl_certificate_key": "/etc/ssl/erp.key"}],
		"mail": {"server": "smtp.example.com", "password": "pw"},
		"empty_password": "",
	}
	assert shareable(conf) == {
		"db_name": "_abc",
		"db_password": SECRET_SHOWN,
		"encryption_key": SECRET_SHOWN,
		"my_api_secret": SECRET_SHOWN,
		"db_port": 3306,
		"allow_tests": True,
		"redis_queue": SECRET_SHOWN,
		"redis_cache": "redis://127.0.0.1:13000",
		"note": SECRET_SHOWN,
		"domains": [{"domain": "erp.example.com", "ssl_certificate_key": SECRET_SHOWN}],
		"mail": {"server": "smtp.example.com", "password": SECRET_SHOWN},
		"empty_password": "",
	}
