"""Self-signed certificates made on the spot, and a TLS server on 127.0.0.1 that presents one and
closes each connection after the handshake."""

import ipaddress
import socket
import ssl
import threading
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def make_certificate(folder: Path, not_after: datetime, name: str = "localhost") -> tuple[Path, Path]:
	"""(certificate, key) PEM files of a self-signed certificate for `name` and 127.0.0.1."""
	key = ec.generate_private_key(ec.SECP256R1())
	subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
	cert = (
		x509.CertificateBuilder()
		.subject_name(subject)
		.issuer_name(subject)
		.public_key(key.public_key())
		.serial_number(x509.random_serial_number())
		.not_valid_before(not_after - timedelta(days=90))
		.not_valid_after(not_after)
		.add_extension(
			x509.SubjectAlternativeName(
				[x509.DNSName(name), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
			),
			critical=False,
		)
		.sign(key, hashes.SHA256())
	)
	cert_file, key_file = folder / f"{name}.crt", folder / f"{name}.key"
	cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
	key_file.write_bytes(
		key.private_bytes(
			serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
		)
	)
	return cert_file, key_file


def serve_tls(cert_file: Path, key_file: Path):
	"""Start serving; returns (port, stop)."""
	context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
	context.load_cert_chain(cert_file, key_file)
	listener = socket.create_server(("127.0.0.1", 0))
	listener.settimeout(0.1)
	stopping = threading.Event()

	def run():
		while not stopping.is_set():
			try:
				conn, _ = listener.accept()
			except TimeoutError:
				continue
			except OSError:
				return
			conn.settimeout(5)
			try:
				with context.wrap_socket(conn, server_side=True):
					pass
			except OSError:  # the client refused the certificate, as a verifying client should
				conn.close()

	thread = threading.Thread(target=run, daemon=True)
	thread.start()

	def stop():
		stopping.set()
		thread.join(5)
		listener.close()

	return listener.getsockname()[1], stop
