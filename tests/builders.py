"""Builders for the pure tests: config repos in temporary folders and small documents."""

import json
import shutil
import subprocess
from pathlib import Path

from frappe_stack.blueprint.canonical import canonical_bytes

EXAMPLE_REPO = Path(__file__).resolve().parent.parent / "examples" / "config-repo"


class Repo:
	"""A config repo in a temporary folder: `root/blueprints/*.json`."""

	def __init__(self, root: Path):
		self.root = root
		self.dir = root / "blueprints"
		self.dir.mkdir(parents=True, exist_ok=True)

	def write(self, name: str, documents: list[dict], **extra) -> Path:
		return self.write_json(f"{name}.json", {"blueprint": name, "documents": documents, **extra})

	def write_json(self, filename: str, content) -> Path:
		path = self.dir / filename
		path.write_bytes(canonical_bytes(content))
		return path

	def write_text(self, filename: str, text: str) -> Path:
		path = self.dir / filename
		path.write_text(text, encoding="utf-8")
		return path

	def remove(self, name: str) -> None:
		(self.dir / f"{name}.json").unlink()

	def copy_example(self) -> None:
		shutil.copytree(EXAMPLE_REPO / "blueprints", self.dir, dirs_exist_ok=True)

	def read(self, name: str) -> dict:
		return json.loads((self.dir / f"{name}.json").read_text(encoding="utf-8"))

	def bytes(self, name: str) -> bytes:
		return (self.dir / f"{name}.json").read_bytes()


def git(directory: Path, *args: str) -> str:
	"""Run git in `directory` with a fixed identity; fail the test if git fails."""
	done = subprocess.run(
		["git", "-C", str(directory), "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
		capture_output=True,
		text=True,
		check=True,
	)
	return done.stdout.strip()


def commit_all(directory: Path, message: str) -> str:
	"""Commit everything in the checkout holding `directory`; the new commit's short sha."""
	git(directory, "add", "-A")
	git(directory, "commit", "-q", "-m", message)
	return git(directory, "rev-parse", "--short", "HEAD")


def clone(remote: Path, path: Path) -> Path:
	"""A clone of `remote` at `path`, committing as Promoter."""
	git(remote.parent, "clone", "--quiet", str(remote), str(path))
	git(path, "config", "user.name", "Promoter")
	git(path, "config", "user.email", "promoter@example.com")
	return path


def role(name: str, **extra) -> dict:
	return {"doctype": "Role", "name": name, "role_name": name, **extra}


def doctype(name: str, fields: list[dict] = (), **extra) -> dict:
	fields = list(fields) or [{"fieldname": "title", "fieldtype": "Data", "label": "Title"}]
	return {"doctype": "DocType", "name": name, "custom": 1, "module": "Custom", "fields": fields, **extra}


def custom_field(dt: str, fieldname: str, **extra) -> dict:
	return {
		"doctype": "Custom Field",
		"name": f"{dt}-{fieldname}",
		"dt": dt,
		"fieldname": fieldname,
		"fieldtype": "Data",
		**extra,
	}
