"""What `rollback --to GITREF` says it did: the documents it created, updated or deleted, and a
warning that the config repo still holds newer blueprints only when it does (else the next migrate
would apply nothing newer, and the warning would send the user after nothing)."""

from dataclasses import dataclass, field
from pathlib import Path

from frappe_stack.applier import APPLIED, ApplyResult
from frappe_stack.plan import CREATE, DELETE, NOOP, UPDATE

DONE = {CREATE: "created", UPDATE: "updated", DELETE: "deleted"}


@dataclass
class RollbackResult:
	what: str  # "backup" or "config"
	status: str
	detail: str
	changed: list[str] = field(default_factory=list)  # --to: "updated DocType X (blueprint)", ...

	def as_dict(self) -> dict:
		return dict(self.__dict__)

	def text(self) -> str:
		return "\n".join(
			[f"Rollback ({self.what}): {self.status}. {self.detail}", *(f"  {c}" for c in self.changed)]
		)


def changed_documents(result: ApplyResult) -> list[str]:
	"""One line per document the apply wrote, e.g. "updated DocType Beneficiary (beneficiary)"."""
	return [
		f"{DONE.get(op.action, op.action)} {op.doctype} {op.name} ({r.blueprint})"
		for r in result.results
		if r.status == APPLIED
		for op in r.plan.ops
		if op.action != NOOP
	]


def repo_holds_newer(current: Path, at_ref: Path) -> bool:
	"""Whether the blueprint files of the working tree (`current`) differ from those at the ref."""
	return _files(current) != _files(at_ref)


def _files(folder: Path) -> dict[str, bytes]:
	return {path.name: path.read_bytes() for path in sorted(folder.glob("*.json"))}


def config_rollback_detail(ref: str, site_name: str, changed: list[str], newer: bool) -> str:
	what = f"{len(changed)} document(s) changed" if changed else "no document changed"
	text = f"blueprints as at {ref} applied on {site_name}: {what}"
	if newer:
		text += (
			"; the config repo still holds the newer ones, so revert them in git too or the next "
			"migrate applies them again"
		)
	return text
