"""When a TLS certificate stops being valid: the one in a PEM file a site's config names, or the one
a host serves on a port. Reading never raises: a file that cannot be read or a host that does not
answer is a fact (`error`) for `env-diff` and `diagnose` to show."""

import socket
import ssl
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509

TIMEOUT = 5.0


@dataclass(frozen=True)
class Certificate:
	name: str  # the domain it is for
	source: str  # "file /etc/letsencrypt/live/x/fullchain.pem" or "tls x:443"
	not_after: datetime | None = None  # timezone-aware, UTC
	subject: str = ""
	untrusted: str | None = None  # why the chain or host name did not verify (served certificates)
	error: str | None = None

	def as_dict(self) -> dict:
		return {
			"name": self.name,
			"source": self.source,
			"not_after": self.not_after.isoformat() if self.not_after else None,
			"subject": self.subject,
			"untrusted": self.untrusted,
			"error": self.error,
		}


def in_file(path: str, name: str) -> Certificate:
	"""The first certificate of a PEM file (in a fullchain.pem, the site's own)."""
	source = f"file {path}"
	try:
		with open(path, "rb") as file:
			data = file.read()
	except OSError as e:
		return Certificate(name, source, error=f"cannot read {path}: {e.strerror or e}")
	try:
		return _described(name, source, x509.load_pem_x509_certificate(data))
	except ValueError:
		return Certificate(name, source, error=f"{path} holds no PEM certificate")


def served(host: str, port: int = 443, timeout: float = TIMEOUT) -> Certificate:
	"""The certificate `host:port` presents, as a browser would ask for it (SNI). An expired or
	self-signed one is still read, with the reason it does not verify in `untrusted`."""
	source = f"tls {host}:{port}"
	try:
		try:
			der, untrusted = _handshake(host, port, timeout, ssl.create_default_context()), None
		except ssl.SSLCertVerificationError as e:
			untrusted = e.verify_message or str(e)
			der = _handshake(host, port, timeout, _unverified())
		return _described(host, source, x509.load_der_x509_certificate(der), untrusted)
	except (OSError, ValueError) as e:  # refused, timed out, no TLS there, no certificate
		return Certificate(
			host, source, error=f"could not read the certificate of {host}:{port}: {_reason(e)}"
		)


def _handshake(host: str, port: int, timeout: float, context: ssl.SSLContext) -> bytes:
	with socket.create_connection((host, port), timeout=timeout) as raw:
		with context.wrap_socket(raw, server_hostname=host) as tls:
			der = tls.getpeercert(binary_form=True)
	if not der:
		raise ValueError("the server sent no certificate")
	return der


def _unverified() -> ssl.SSLContext:
	# only to read the dates of a certificate that failed verification; nothing is sent over it
	context = ssl.create_default_context()
	context.check_hostname = False
	context.verify_mode = ssl.CERT_NONE
	return context


def _described(name: str, source: str, cert: x509.Certificate, untrusted: str | None = None) -> Certificate:
	return Certificate(name, source, cert.not_valid_after_utc, cert.subject.rfc4514_string(), untrusted)


def _reason(error: Exception) -> str:
	if isinstance(error, TimeoutError):
		return "no answer in time"
	return getattr(error, "strerror", None) or str(error) or type(error).__name__
