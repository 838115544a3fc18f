"""Headless Chromium for the Desk tests, driven over the DevTools protocol through a pipe
(`--remote-debugging-pipe`: the browser reads commands on its fd 3 and answers on its fd 4, as
NUL-separated JSON). No websocket library, no debugging port, no driver: only Debian's chromium."""

import base64
import fcntl
import io
import json
import os
import shutil
import struct
import subprocess
import tempfile
import threading
import time
from pathlib import Path

CHROMIUM_MISSING = (
	"Chromium is not installed, and the Desk tests render pages in headless Chromium: install Debian's "
	"chromium package (sudo apt-get install chromium), or point FRAPPE_STACK_CHROMIUM at a Chromium binary"
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEPT_EVENTS = {"Runtime.exceptionThrown", "Fetch.requestPaused"}  # the events anyone waits for or reads


class BrowserError(AssertionError):
	"""Chromium is missing, died, refused a command, or a page never got ready."""


def find_chromium() -> str:
	chosen = os.environ.get("FRAPPE_STACK_CHROMIUM")
	path = chosen or shutil.which("chromium") or shutil.which("chromium-browser")
	if chosen and not os.access(chosen, os.X_OK):
		raise BrowserError(f"FRAPPE_STACK_CHROMIUM={chosen} is not an executable file")
	if not path:
		raise BrowserError(CHROMIUM_MISSING)
	return path


class Chromium:
	"""One headless browser process; `page()` opens a tab in a browser context of its own (its own
	cookies and storage), so one browser serves several users."""

	def __init__(self, log_path: Path):
		binary = find_chromium()
		self.profile = tempfile.mkdtemp(prefix="frappe_stack_chromium_")
		self.log_path = log_path
		self._lock = threading.Condition()
		self._answers: dict[int, dict] = {}
		self._events: list[dict] = []
		self._next_id = 0
		self._closed = False
		# the browser's ends, first moved above fd 9 so putting them on 3 and 4 clobbers nothing
		commands_in, self._commands = os.pipe()
		self._answers_out, answers_in = os.pipe()
		browser_reads = fcntl.fcntl(commands_in, fcntl.F_DUPFD_CLOEXEC, 10)
		browser_writes = fcntl.fcntl(answers_in, fcntl.F_DUPFD_CLOEXEC, 10)
		os.close(commands_in)
		os.close(answers_in)

		def on_fds_3_and_4():  # in the child, between fork and exec
			os.dup2(browser_reads, 3)
			os.dup2(browser_writes, 4)

		with open(log_path, "w") as log:
			self.process = subprocess.Popen(
				[
					binary,
					"--headless",
					"--no-sandbox",
					"--disable-gpu",
					"--disable-dev-shm-usage",
					"--disable-extensions",
					"--disable-background-networking",
					"--disable-component-update",
					"--disable-sync",
					"--no-first-run",
					"--no-default-browser-check",
					"--hide-scrollbars",
					"--mute-audio",
					"--password-store=basic",
					"--remote-debugging-pipe",
					f"--user-data-dir={self.profile}",
					"about:blank",
				],
				stdin=subprocess.DEVNULL,
				stdout=log,
				stderr=subprocess.STDOUT,
				close_fds=False,  # Python's own fds are close-on-exec; fds 3 and 4 must get through
				preexec_fn=on_fds_3_and_4,
			)
		os.close(browser_reads)
		os.close(browser_writes)
		threading.Thread(target=self._read, daemon=True).start()
		try:
			self.version = self.send("Browser.getVersion", timeout=60)["product"]
		except BrowserError:
			self.close()
			raise

	def page(self, width: int = 1280, height: int = 800) -> "Page":
		return Page(self, width, height)

	def close(self) -> None:
		try:
			if self.process.poll() is None:
				self.send("Browser.close", timeout=10)
				self.process.wait(timeout=10)
		except (BrowserError, subprocess.TimeoutExpired):
			self.process.kill()
			self.process.wait(timeout=10)
		finally:
			os.close(self._commands)
			shutil.rmtree(self.profile, ignore_errors=True)

	def send(self, method: str, params: dict | None = None, session: str | None = None, timeout=30.0):
		with self._lock:
			self._next_id += 1
			number = self._next_id
		message = {"id": number, "method": method, "params": params or {}}
		if session:
			message["sessionId"] = session
		data = json.dumps(message).encode() + b"\0"
		try:
			while data:
				data = data[os.write(self._commands, data) :]
		except BrokenPipeError as e:
			raise BrowserError(f"Chromium has exited; see {self.log_path}") from e
		deadline = time.monotonic() + timeout
		with self._lock:
			while number not in self._answers:
				left = deadline - time.monotonic()
				if self._closed or left <= 0:
					why = "Chromium has exited" if self._closed else f"no answer within {timeout}s"
					raise BrowserError(f"{method}: {why}; see {self.log_path}")
				self._lock.wait(left)
			answer = self._answers.pop(number)
		if "error" in answer:
			raise BrowserError(f"{method}: {answer['error'].get('message')}")
		return answer.get("result", {})

	def wait_event(self, method: str, session: str, timeout=30.0) -> dict:
		"""The first event `method` of `session` not yet taken; waits for it."""
		deadline = time.monotonic() + timeout
		with self._lock:
			while True:
				for event in self._events:
					if event.get("method") == method and event.get("sessionId") == session:
						self._events.remove(event)
						return event.get("params", {})
				left = deadline - time.monotonic()
				if self._closed or left <= 0:
					raise BrowserError(f"no {method} event within {timeout}s")
				self._lock.wait(left)

	def events(self, method: str, session: str) -> list[dict]:
		with self._lock:
			return [
				e["params"]
				for e in self._events
				if e.get("method") == method and e.get("sessionId") == session
			]

	def _read(self) -> None:
		buffer = bytearray()
		while chunk := os.read(self._answers_out, 1 << 20):
			buffer += chunk
			while (end := buffer.find(b"\0")) >= 0:
				message = json.loads(buffer[:end])
				del buffer[: end + 1]
				with self._lock:
					if "id" in message:
						self._answers[message["id"]] = message
					elif message.get("method") in KEPT_EVENTS:
						self._events.append(message)
					self._lock.notify_all()
		os.close(self._answers_out)
		with self._lock:
			self._closed = True
			self._lock.notify_all()


class Page:
	"""A tab of its own browser context, at a fixed viewport size."""

	def __init__(self, browser: Chromium, width: int, height: int):
		self.browser = browser
		self.width, self.height = width, height
		self.give_up: str | None = None  # see wait_for
		self.context = browser.send("Target.createBrowserContext")["browserContextId"]
		target = browser.send("Target.createTarget", {"url": "about:blank", "browserContextId": self.context})
		self.session = browser.send(
			"Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
		)["sessionId"]
		self.call("Page.enable")
		self.call("Runtime.enable")
		self.call(
			"Emulation.setDeviceMetricsOverride",
			{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
		)

	def call(self, method: str, params: dict | None = None, timeout=30.0) -> dict:
		return self.browser.send(method, params, session=self.session, timeout=timeout)

	def evaluate(self, expression: str, timeout=30.0):
		"""The value of a JavaScript expression (awaited when it is a promise)."""
		result = self.call(
			"Runtime.evaluate",
			{"expression": expression, "returnByValue": True, "awaitPromise": True},
			timeout=timeout,
		)
		if "exceptionDetails" in result:
			details = result["exceptionDetails"]
			raise BrowserError(
				f"{expression!r} failed: {details.get('exception', {}).get('description') or details}"
			)
		return result["result"].get("value")

	def goto(self, url: str, ready: str, timeout=60.0) -> None:
		"""Load `url` and wait until the expression `ready` holds on the new document."""
		self.evaluate("window.__frappe_stack_left = true")
		self.call("Page.navigate", {"url": url})
		self.wait_for(
			f"!window.__frappe_stack_left && document.readyState === 'complete' && ({ready})", timeout
		)

	def wait_for(self, expression: str, timeout=60.0) -> None:
		"""Wait until `expression` holds; give up at once when the page says why it never will
		(`give_up`, an expression giving a reason or nothing)."""
		deadline = time.monotonic() + timeout
		failure = None
		while time.monotonic() < deadline:
			try:
				if self.evaluate(f"!!({expression})"):
					return
				reason = self.give_up and self.evaluate(self.give_up)
			except BrowserError as e:  # the page is between documents, or not booted yet
				failure, reason = e, None
			if reason:
				raise BrowserError(f"{reason}: at {self.state()}")
			time.sleep(0.2)
		raise BrowserError(
			f"the page never got ready in {timeout}s: {expression}\nat {self.state()}; last failure: {failure}; "
			f"uncaught errors: {self.uncaught_errors()}"
		)

	def state(self) -> dict:
		return self.evaluate("({url: location.href, title: document.title})")

	def uncaught_errors(self) -> list[str]:
		return [
			(e["exceptionDetails"].get("exception") or {}).get("description")
			or e["exceptionDetails"].get("text", "")
			for e in self.browser.events("Runtime.exceptionThrown", self.session)
		]

	def screenshot(self, path: Path, full_page: bool = False) -> bytes:
		"""A PNG of the viewport (or of the whole page: viewport width, document height)."""
		params = {"format": "png"}
		if full_page:
			height = self.evaluate("document.documentElement.scrollHeight")
			params |= {
				"captureBeyondViewport": True,
				"clip": {"x": 0, "y": 0, "width": self.width, "height": height, "scale": 1},
			}
		data = base64.b64decode(self.call("Page.captureScreenshot", params, timeout=60)["data"])
		path.write_bytes(data)
		return data


def png_size(data: bytes) -> tuple[int, int]:
	"""Width and height from a PNG's header; fails on anything that is not a PNG."""
	if data[:8] != PNG_SIGNATURE or data[12:16] != b"IHDR":
		raise BrowserError(f"not a PNG image (starts with {data[:16]!r})")
	return struct.unpack(">II", data[16:24])


def colour_spread(data: bytes, box: tuple[int, int, int, int] | None = None) -> tuple[int, float]:
	"""How many distinct colours the image (or the box left, top, right, bottom of it) has, and the
	share of its most common one: a blank image has one colour at 100%."""
	from PIL import Image

	image = Image.open(io.BytesIO(data)).convert("RGB")
	if box:
		image = image.crop(box)
	pixels = image.width * image.height
	colours = image.getcolors(maxcolors=pixels) or []
	return len(colours), max((count for count, _ in colours), default=pixels) / max(pixels, 1)
