"""A real HTTP server on 127.0.0.1 that answers like a Frappe site with frappe_stack installed.

By default it answers from a small site model: `describe` from `self.site`, `documents` from
`self.documents` (only the keys asked for), `facts` from the review Context `self.facts` through the
same dispatch as frappe_stack.api.facts. A test scripts odd answers with `push()`: a queue of
(status, body, content_type) replies, used first and in order; status None closes the connection
without an answer. Every request is recorded with its path, headers and JSON body.
"""

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from frappe_stack.review.questions import BadQuestion, answer_all

API = "/api/method/frappe_stack.api."


@dataclass
class Recorded:
	method: str
	path: str
	headers: dict[str, str]
	body: object


@dataclass
class Reply:
	status: int | None
	body: object
	content_type: str = "application/json"
	delay: float = 0

	def payload(self) -> bytes:
		if isinstance(self.body, bytes):
			return self.body
		if isinstance(self.body, str):
			return self.body.encode("utf-8")
		return json.dumps(self.body).encode("utf-8")


@dataclass
class FakeFrappe:
	site: dict = field(
		default_factory=lambda: {
			"site": "fake.test",
			"versions": {"frappe": "15.0.0", "frappe_stack": "0.1.0"},
			"schemas": {},
			"ledger": [],
			"customizations": [],
		}
	)
	# (doctype, name) -> {"document": {...}, "hash": "..."}
	documents: dict = field(default_factory=dict)
	facts: object | None = None  # a review Context (tests/fake_context.py) for the `facts` endpoint
	replies: deque = field(default_factory=deque)
	requests: list[Recorded] = field(default_factory=list)
	url: str = ""

	def push(
		self, status: int | None, body=None, content_type: str = "application/json", delay: float = 0
	) -> None:
		self.replies.append(Reply(status, body, content_type, delay))

	def calls(self, method: str) -> list[Recorded]:
		return [r for r in self.requests if r.path == API + method]

	def answer(self, request: Recorded) -> Reply:
		if self.replies:
			return self.replies.popleft()
		if request.path == API + "describe":
			return Reply(200, {"message": self.site})
		if request.path == API + "documents":
			keys = [tuple(key) for key in request.body["keys"]]
			found = [
				[dt, name, self.documents[(dt, name)]] for dt, name in keys if (dt, name) in self.documents
			]
			return Reply(200, {"message": {"documents": found}})
		if request.path == API + "facts" and self.facts is not None:
			try:
				return Reply(200, {"message": {"answers": answer_all(self.facts, request.body["questions"])}})
			except BadQuestion as e:  # frappe.throw(..., ValidationError) answers 417
				return Reply(417, {"exc_type": "ValidationError", "exception": f"ValidationError: {e}"})
		return Reply(404, {"exc_type": "DoesNotExistError", "exception": f"no route {request.path}"})


def serve(fake: FakeFrappe):
	"""Start serving `fake`; returns a stop() callable. Handlers that were told to wait give up at stop."""
	stopping = threading.Event()

	class Handler(BaseHTTPRequestHandler):
		def do_POST(self):
			length = int(self.headers.get("Content-Length") or 0)
			raw = self.rfile.read(length)
			try:
				body = json.loads(raw) if raw else None
			except ValueError:
				body = raw
			request = Recorded("POST", self.path, dict(self.headers.items()), body)
			fake.requests.append(request)
			reply = fake.answer(request)
			if reply.delay and stopping.wait(reply.delay):
				return
			if reply.status is None:
				self.close_connection = True
				return
			payload = reply.payload()
			try:
				self.send_response(reply.status)
				self.send_header("Content-Type", reply.content_type)
				self.send_header("Content-Length", str(len(payload)))
				self.end_headers()
				self.wfile.write(payload)
			except OSError:  # the client gave up waiting
				pass

		def log_message(self, format, *args):
			pass

	class Server(ThreadingHTTPServer):
		daemon_threads = True

		def handle_error(self, request, client_address):
			pass

	server = Server(("127.0.0.1", 0), Handler)
	fake.url = f"http://127.0.0.1:{server.server_address[1]}"
	thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
	thread.start()

	def stop():
		stopping.set()
		server.shutdown()
		server.server_close()
		thread.join(5)

	return stop
