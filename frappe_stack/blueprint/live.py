"""A site document as frappe_stack may show, print or send it: its secrets masked, while its
hash still covers them (so a changed secret is still a change, but never a displayed one)."""

import copy
from dataclasses import dataclass

from frappe_stack.blueprint.canonical import content_hash
from frappe_stack.blueprint.schema import DoctypeSchema
from frappe_stack.blueprint.secrets import find_secrets


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
