"""`init`: the files a new config repo starts from, ready to commit: frappe-stack.toml and the GitHub
Actions workflows that review pull requests and deploy merges to production. The files are kept
as they are written, in templates/, so they can be read and edited like any other file."""

from pathlib import Path

from frappe_stack.config import CONFIG_FILE
from frappe_stack.errors import StackError

TEMPLATES = Path(__file__).resolve().parent / "templates"
# where each template goes, relative to the config repo root
FILES = {
	CONFIG_FILE: CONFIG_FILE,
	"frappe-stack-review.yml": ".github/workflows/frappe-stack-review.yml",
	"frappe-stack-deploy.yml": ".github/workflows/frappe-stack-deploy.yml",
}


def init_repo(root: str | Path, force: bool = False) -> list[Path]:
	"""Write the files under `root`; the paths written. Existing files are refused, all of them
	named at once and none written, unless `force`."""
	root = Path(root)
	targets = {template: root / target for template, target in FILES.items()}
	existing = [target for target in FILES.values() if (root / target).exists()]
	if existing and not force:
		raise StackError(
			f"{root}: {', '.join(existing)} already exist(s); fix: pass --force to overwrite, or move them away"
		)
	for template, target in targets.items():
		target.parent.mkdir(parents=True, exist_ok=True)
		target.write_bytes((TEMPLATES / template).read_bytes())
	return list(targets.values())
