"""The in-memory shape of blueprint files once they are loaded and validated."""

from dataclasses import dataclass, field

from frappe_stack.blueprint.canonical import canonical_bytes, content_hash

Key = tuple[str, str]


@dataclass
class Document:
	blueprint: str
	data: dict
	path: str  # JSON path inside the file, for messages

	@property
	def doctype(self) -> str:
		return self.data["doctype"]

	@property
	def name(self) -> str:
		return self.data["name"]

	@property
	def key(self) -> Key:
		return (self.doctype, self.name)

	@property
	def hash(self) -> str:
		return content_hash(self.data)


@dataclass
class Blueprint:
	name: str
	file: str
	description: str = ""
	depends_on: list[str] = field(default_factory=list)
	# app -> minimum version ("" for any) the blueprint needs on a site (the environment check)
	requires: dict[str, str] = field(default_factory=dict)
	documents: list[Document] = field(default_factory=list)
	deletes: list[Key] = field(default_factory=list)
	# The documents in dependency order; `documents` stays in canonical (file) order.
	apply_order: list[Document] = field(default_factory=list)

	def as_dict(self) -> dict:
		"""The canonical file content."""
		out = {"blueprint": self.name, "documents": [doc.data for doc in self.documents]}
		if self.description:
			out["description"] = self.description
		if self.depends_on:
			out["depends_on"] = sorted(self.depends_on)
		if self.requires:
			out["requires"] = dict(sorted(self.requires.items()))
		if self.deletes:
			out["delete"] = [{"doctype": dt, "name": name} for dt, name in sorted(self.deletes)]
		return out

	def header(self) -> dict:
		"""The file's keys besides its name and documents, as the ledger remembers them."""
		return {k: v for k, v in self.as_dict().items() if k not in ("blueprint", "documents")}

	def canonical_bytes(self) -> bytes:
		return canonical_bytes(self.as_dict())

	@property
	def content_hash(self) -> str:
		return content_hash(self.as_dict())
