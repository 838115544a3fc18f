"""Helpers shared by test_remote_client_* (split from one test file).

RemoteSite and the `frappe-stack` console script against a real HTTP server on 127.0.0.1 that
answers like Frappe's REST API (tests/fake_frappe.py)."""

import socket

import pytest
from click.testing import CliRunner
from fake_frappe import FakeFrappe, serve

from frappe_stack import cli
from frappe_stack.remote import RemoteError, RemoteSite

KEY = "a1b2c3d4e5f6a7b"


SECRET = "s3cret-0f9e8d7c6b5a4-never-shown"


ENV = {"FRAPPE_STACK_API_KEY": KEY, "FRAPPE_STACK_API_SECRET": SECRET}


MISSING_APP = (
	"frappe.exceptions.ValidationError: Failed to get method for command frappe_stack.api.describe "
	"with App frappe_stack is not installed"
)


@pytest.fixture
def fake():
	site = FakeFrappe()
	stop = serve(site)
	yield site
	stop()


@pytest.fixture
def slept() -> list[float]:
	return []


@pytest.fixture
def client(fake, slept):
	def make(**options) -> RemoteSite:
		options.setdefault("sleep", slept.append)
		options.setdefault("timeout", 5)
		return RemoteSite(fake.url, KEY, SECRET, **options)

	return make


def closed_port_url() -> str:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		port = s.getsockname()[1]
	return f"http://127.0.0.1:{port}"


def error_of(site: RemoteSite) -> str:
	with pytest.raises(RemoteError) as caught:
		site.site_name()
	return str(caught.value)


def invoke(*args: str, env: dict | None = None):
	return CliRunner().invoke(cli.main, list(args), env=ENV if env is None else env)
