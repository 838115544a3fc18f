"""A site document as frappe_stack may show, print or send it: its secrets masked, while its
hash still covers them (so a changed secret is still a change, but never a displayed one)."""

import copy
from dataclasses import dataclass

from frappe_stack.blueprint.canonical import content_hash
from frappe_stack.blueprint.registry import managed_form
from frappe_stack.blueprint.schema import DoctypeSchema
from frappe_stack.blueprint.secret_fields import find_secrets


@dataclass(frozen=True)
class LiveDoc:
	document: dict
	hash: str

	def as_dict(self) -> dict:
		return {"document": self.document, "hash": self.hash}


def live_doc(canonical: dict, schema: DoctypeSchema | None) -> LiveDoc:
	document = copy.deepcopy(canonical)
	for secret in find_secrets(document, schema):
		secret.mask()
	return LiveDoc(document, content_hash(canonical))


class LiveReads:
	"""canonical(), live() and live_hashes() of a site reader, from the schema() and
	live_documents() of the class that mixes it in: one definition for the adapter and the pure
	tests' MemorySite, so both hash a document the same way."""

	def canonical(self, doc: dict) -> dict:
		return managed_form(doc, self.schema(doc["doctype"]))

	def live(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], LiveDoc]:
		return {
			key: live_doc(self.canonical(doc), self.schema(key[0]))
			for key, doc in self.live_documents(keys).items()
		}

	def live_hashes(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
		"""The hashes of live(keys), without masking copies nobody shows."""
		return {key: content_hash(self.canonical(doc)) for key, doc in self.live_documents(keys).items()}
