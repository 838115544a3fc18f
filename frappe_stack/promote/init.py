"""`init`: the files a new config repo starts from, ready to commit: frappe-stack.toml and the GitHub
Actions workflows that review pull requests and deploy merges to production. The files are kept
as they are written, in templates/, so they can be read and edited like any other file."""

import re
from dataclasses import dataclass
from pathlib import Path

from frappe_stack.config import CONFIG_FILE
from frappe_stack.errors import StackError
from frappe_stack.git_command import git

TEMPLATES = Path(__file__).resolve().parent / "templates"
# where each template goes, relative to the config repo root
FILES = {
	CONFIG_FILE: CONFIG_FILE,
	"frappe-stack-review.yml": ".github/workflows/frappe-stack-review.yml",
	"frappe-stack-deploy.yml": ".github/workflows/frappe-stack-deploy.yml",
}
SETTING = re.compile(r"\$\{\{\s*(secrets|vars)\.(\w+)\s*\}\}")  # ${{ secrets.NAME }} in a workflow


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


@dataclass(frozen=True)
class Written:
	"""What init wrote under `root`, and what is left to do before the first promotion."""

	root: Path
	files: list[Path]

	@classmethod
	def of(cls, root: str | Path, files: list[Path]) -> "Written":
		return cls(Path(root), files)

	def settings(self) -> dict[str, list[str]]:
		"""The Actions secrets and variables the workflows written read, read off the files themselves
		so that the steps printed never fall behind the templates."""
		found: dict[str, list[str]] = {"secrets": [], "vars": []}
		for file in self.files:
			if file.suffix == ".yml":
				for kind, name in SETTING.findall(file.read_text(encoding="utf-8")):
					if name not in found[kind]:
						found[kind].append(name)
		return found

	def next_steps(self) -> list[str]:
		root, settings = self.root, self.settings()
		steps = []
		if git(root, "rev-parse", "--is-inside-work-tree", check=False) is None:
			steps.append(f"make it a git repository: git init -b main {root}")
		steps.append(
			f"edit {CONFIG_FILE}: replace the placeholders (the environments' URLs, [github] repo, "
			"[reviewers] rotation)"
		)
		if settings["secrets"] or settings["vars"]:
			steps.append(
				f"on GitHub (Settings > Secrets and variables > Actions; the deploy's on the production "
				f"environment) add the secrets {', '.join(settings['secrets'])} and the variables "
				f"{', '.join(settings['vars'])}; each workflow's header says what they hold"
			)
		if git(root, "remote", "get-url", "origin", check=False) is None:
			steps.append(
				f"give it your GitHub repository as its remote: git -C {root} remote add origin "
				"git@github.com:OWNER/REPO.git (the [github] repo of the config)"
			)
		paths = " ".join(sorted({str(file.relative_to(root).parts[0]) for file in self.files}))
		steps.append(
			f"commit them, then push: git -C {root} add {paths} && git -C {root} commit -m "
			f'"frappe-stack init" && git -C {root} push -u origin HEAD'
		)
		steps.append(
			f"fill it from staging: bench --site STAGING frappe-stack export --path {root}, then review, "
			"check and promote"
		)
		return steps

	def as_dict(self) -> dict:
		return {
			"root": str(self.root),
			"files": [str(file.relative_to(self.root)) for file in self.files],
			"settings": self.settings(),
			"next_steps": self.next_steps(),
		}

	def text(self) -> str:
		data = self.as_dict()
		lines = [f"Wrote {len(self.files)} file(s) in {self.root}:"]
		lines += [f"  {file}" for file in data["files"]]
		lines.append("Next steps:")
		lines += [f"  {number}. {step}" for number, step in enumerate(data["next_steps"], 1)]
		return "\n".join(lines)
