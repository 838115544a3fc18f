"""What Frappe does with Redis for every document it saves, one round trip at a time, done for a
blueprint's documents once per commit instead (about 0.4 s of a first apply of 900 documents
on an almost empty Redis; the KEYS scans below cost more the more keys Redis holds).

- The document cache: each save deletes the document's cached copy at once and again after the
  commit (two DELs). A document the blueprint creates has no cached copy before it exists, so its
  key is deleted once, after the commit (or the rollback), in one DEL with the blueprint's other
  new documents. A document that existed keeps Frappe's own deletes: a controller may read it
  cached later in the same blueprint.
- Realtime messages: each save queues a doc_update and a list_update for after the commit, and
  Frappe publishes each with its own call. Those of one commit go out in one pipeline, still
  formatted by Frappe's emit_via_redis and still after the commit.
- Site-wide caches: every Role save and every DocType's cache clear clear the website's routing
  caches (four KEYS scans, each over every key of every site the Redis serves, so the cost grows
  with the server, not with the blueprint: 36 ms each with 300,000 keys); every DocType save
  clears the saving user's caches (one more KEYS scan) and rebuilds the list of
  domain-restricted DocTypes (a query of all DocTypes). The user's caches and that list are
  dropped once after the commit; the desk rebuilds that list when it finds it missing, as after
  any cache clear. Before the commit another process would only have cached them again from the
  state not yet committed.
- The routing caches are dropped once for the whole apply, after its last commit (or when it
  fails): only the website's pages read them, nothing an apply writes or checks, so a page served
  while the apply runs may show the routes of a moment before, as with any page served while a
  blueprint is written. Per commit, they cost four KEYS scans for every blueprint that saves a
  Role or customizes a DocType (see the README's benchmark with --redis-keys).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

import frappe
import frappe.cache_manager
import frappe.realtime
import frappe.website.router
import redis
from frappe.cache_manager import clear_user_cache
from frappe.core.doctype.doctype import doctype as doctype_controller
from frappe.core.doctype.role import role as role_controller
from frappe.utils import background_jobs
from frappe.website.router import clear_routing_cache

# Frappe's own, put back after each blueprint's writes
ROUTING_CLEAR = clear_routing_cache
USER_CLEAR = clear_user_cache
BUILD_DOMAIN_CACHE = frappe.cache_manager.build_domain_restriced_doctype_cache
DOMAIN_CACHE_KEY = "domain_restricted_doctypes"


class NewDocumentCaches:
	"""The document-cache keys of the documents a blueprint created, deleted once it ends."""

	def __init__(self, created: Callable[[str, str], bool]):
		"""`created(doctype, name)`: whether the blueprint created that document."""
		self._created = created
		self._keys: list[str] = []
		self._clear = None

	def defer(self) -> None:
		"""From here until restore(): Frappe's clear of a created document's cache is noted."""
		self._clear, frappe.clear_document_cache = frappe.clear_document_cache, self._note

	def restore(self) -> None:
		if self._clear is not None:
			frappe.clear_document_cache, self._clear = self._clear, None

	def flush(self) -> None:
		"""After the commit or the rollback: the noted keys, in one DEL."""
		keys, self._keys = self._keys, []
		frappe.cache.delete_value(keys)

	def _note(self, doctype: str, name: str | None = None) -> None:
		if name is not None and self._created(doctype, name):
			self._keys.append(frappe.get_document_cache_key(doctype, name))
		else:
			self._clear(doctype, name)


class SiteWideCaches:
	"""The users' caches and the domain-restricted DocTypes, dropped once a blueprint ends; the
	routing caches, dropped once the apply ends."""

	def __init__(self):
		self._routing = self._domains = False
		self._users: set = set()

	def defer(self) -> None:
		"""From here until restore(): Role's and DocType's clears and DocType's rebuild (a hook)
		are noted."""
		role_controller.clear_routing_cache = self._note_routing
		doctype_controller.clear_user_cache = self._users.add
		frappe.cache_manager.build_domain_restriced_doctype_cache = self._note_domains

	def restore(self) -> None:
		role_controller.clear_routing_cache = ROUTING_CLEAR
		doctype_controller.clear_user_cache = USER_CLEAR
		frappe.cache_manager.build_domain_restriced_doctype_cache = BUILD_DOMAIN_CACHE

	@contextmanager
	def routing_noted(self) -> Iterator[None]:
		"""Around the cache clears of a blueprint's DocTypes: the routing caches, which Frappe
		clears for each DocType, noted to be cleared when the apply ends."""
		frappe.website.router.clear_routing_cache = self._note_routing
		try:
			yield
		finally:
			frappe.website.router.clear_routing_cache = ROUTING_CLEAR

	def flush(self) -> None:
		"""After the commit or the rollback: the users' caches and the domain-restricted DocTypes,
		each dropped once."""
		if self._domains:
			frappe.cache.delete_value(DOMAIN_CACHE_KEY)
		for user in self._users:
			clear_user_cache(user)
		self._domains = False
		self._users = set()

	def end(self) -> None:
		"""The apply is over: the routing caches, when any blueprint cleared them, dropped once."""
		if self._routing:
			self._routing = False
			clear_routing_cache()

	def _note_routing(self) -> None:
		self._routing = True

	def _note_domains(self, *args, **kwargs) -> None:
		self._domains = True


@contextmanager
def realtime_in_one_pipeline() -> Iterator[None]:
	"""Around a commit: the realtime messages Frappe publishes after it, sent in one pipeline."""
	queued: list[tuple] = []
	emit = frappe.realtime.emit_via_redis
	frappe.realtime.emit_via_redis = lambda *args: queued.append(args)
	try:
		yield
	finally:
		frappe.realtime.emit_via_redis = emit
		if queued:
			_publish(emit, queued)


def _publish(emit, queued: list[tuple]) -> None:
	"""Each message through Frappe's own emit_via_redis, whose connection is, for this loop only,
	a pipeline; like emit_via_redis, a Redis that cannot be reached loses the messages silently."""
	connect = background_jobs.get_redis_connection_without_auth
	with suppress(redis.exceptions.ConnectionError):
		pipeline = connect().pipeline(transaction=False)
		background_jobs.get_redis_connection_without_auth = lambda: pipeline
		try:
			for args in queued:
				emit(*args)
		finally:
			background_jobs.get_redis_connection_without_auth = connect
		pipeline.execute()
