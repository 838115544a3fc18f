"""Certificate dates from PEM files and from a TLS server on 127.0.0.1; every failure is a fact."""

import socket
import threading
from datetime import datetime, timedelta, timezone

import pytest
from tls_server import make_certificate, serve_tls

from frappe_stack import tls
from frappe_stack.envinfo import diagnose

NOW = datetime.now(timezone.utc).replace(microsecond=0)


@pytest.fixture
def served(tmp_path):
	stops = []

	def start(not_after: datetime) -> int:
		port, stop = serve_tls(*make_certificate(tmp_path, not_after))
		stops.append(stop)
		return port

	yield start
	for stop in stops:
		stop()


def certificate_check(cert: tls.Certificate):
	report = diagnose({"site": "s", "reachable": True, "certificates": [cert.as_dict()]}, NOW)
	return next(r for r in report.results if r.check == "certificates")


def test_a_served_certificate_gives_its_expiry_and_why_it_does_not_verify(served):
	port = served(NOW + timedelta(days=60))
	cert = tls.served("127.0.0.1", port)
	assert cert.error is None
	assert cert.not_after == NOW + timedelta(days=60)
	assert cert.source == f"tls 127.0.0.1:{port}"
	assert cert.subject == "CN=localhost"
	assert "self-signed" in cert.untrusted
	result = certificate_check(cert)
	assert result.result == "warn"
	assert "does not verify" in result.detail


def test_an_expired_served_certificate_fails(served):
	port = served(NOW - timedelta(days=2))
	cert = tls.served("127.0.0.1", port)
	assert cert.not_after == NOW - timedelta(days=2)
	result = certificate_check(cert)
	assert result.result == "fail"
	assert f"expired on {(NOW - timedelta(days=2)).date()}" in result.detail


def test_a_certificate_about_to_expire_warns(served):
	port = served(NOW + timedelta(days=5, hours=1))
	result = certificate_check(tls.served("127.0.0.1", port))
	assert result.result == "warn"
	assert "expires in 5 days" in result.detail


def test_nothing_listening_is_a_fact():
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		port = s.getsockname()[1]
	cert = tls.served("127.0.0.1", port)
	assert cert.not_after is None
	assert cert.error.startswith(f"could not read the certificate of 127.0.0.1:{port}: ")
	assert certificate_check(cert).result == "warn"


def test_a_server_that_never_answers_times_out():
	listener = socket.create_server(("127.0.0.1", 0))  # accepts (backlog) but never speaks TLS
	try:
		cert = tls.served("127.0.0.1", listener.getsockname()[1], timeout=0.3)
	finally:
		listener.close()
	assert cert.error.endswith("no answer in time")


def test_a_server_without_tls_is_a_fact():
	listener = socket.create_server(("127.0.0.1", 0))

	def answer_in_plain_text():
		conn, _ = listener.accept()
		conn.recv(1024)
		conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
		conn.close()

	thread = threading.Thread(target=answer_in_plain_text, daemon=True)
	thread.start()
	try:
		cert = tls.served("127.0.0.1", listener.getsockname()[1], timeout=2)
	finally:
		thread.join(5)
		listener.close()
	assert cert.not_after is None
	assert cert.error


def test_a_pem_file_gives_its_expiry(tmp_path):
	cert_file, _ = make_certificate(tmp_path, NOW + timedelta(days=200), "erp.example.com")
	cert = tls.in_file(str(cert_file), "erp.example.com")
	assert cert.as_dict() == {
		"name": "erp.example.com",
		"source": f"file {cert_file}",
		"not_after": (NOW + timedelta(days=200)).isoformat(),
		"subject": "CN=erp.example.com",
		"untrusted": None,
		"error": None,
	}
	assert certificate_check(cert).result == "pass"


def test_a_missing_file_and_a_file_without_a_certificate_are_facts(tmp_path):
	missing = tls.in_file(str(tmp_path / "nope.pem"), "x")
	assert missing.error == f"cannot read {tmp_path / 'nope.pem'}: No such file or directory"
	garbage = tmp_path / "garbage.pem"
	garbage.write_text("not a certificate")
	assert tls.in_file(str(garbage), "x").error == f"{garbage} holds no PEM certificate"
