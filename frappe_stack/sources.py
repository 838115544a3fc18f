"""Where blueprints come from: `--path`, else the site config key `frappe_stack_blueprints`;
plus every installed app that declares `frappe_stack_blueprints = "<folder>"` in its hooks."""

from pathlib import Path

from frappe_stack.blueprint.loader import Source
from frappe_stack.errors import StackError
from frappe_stack.git_command import git

UNREADABLE_REF = "check the checkout is whole (git fsck) and fetch the ref again"


def resolve_sources(site, path: str | None = None) -> list[Source]:
	sources = []
	primary = path or site.configured_source()
	if primary:
		sources.append(Source(Path(primary)))
	sources += [Source(Path(folder), f"{app}:") for app, folder in site.app_sources()]
	return sources


def git_commit(directory: Path) -> str | None:
	"""HEAD of the git checkout holding `directory`, when it is one."""
	head = git(directory, "rev-parse", "HEAD", timeout=10, check=False)
	return head.strip() if head else None


def git_branch(directory: Path) -> str | None:
	"""The branch checked out where `directory` is, None when detached or not a checkout."""
	name = git(directory, "rev-parse", "--abbrev-ref", "HEAD", timeout=10, check=False)
	name = name.strip() if name else None
	return None if name == "HEAD" else name


def in_git(directory: Path) -> bool:
	return git(directory, "rev-parse", "--verify", "--quiet", "HEAD", check=False) is not None


def repo_label(directory: Path, ref: str | None = None) -> str:
	"""`branch@sha` of the checkout holding `directory` (or `ref@sha`), else the folder itself."""
	sha = git(directory, "rev-parse", "--short", ref or "HEAD", check=False)
	if sha is None:
		return str(directory)
	name = ref or (git(directory, "rev-parse", "--abbrev-ref", "HEAD", check=False) or "HEAD").strip()
	return f"{name}@{sha.strip()}"


def blueprints_at(source: Source, ref: str, into: Path) -> Source:
	"""The blueprint files as they are at git `ref` of the config repo, copied under `into`."""
	folder = source.blueprint_dir.resolve()
	top = git(folder, "rev-parse", "--show-toplevel", check=False)
	if top is None:
		raise StackError(f"{folder} is not in a git checkout, so --ref {ref} cannot be read")
	if git(folder, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False) is None:
		raise StackError(
			f"unknown git ref '{ref}' in {top.strip()}; fix: pass a branch, tag or commit that exists"
		)
	root = Path(top.strip())
	inside = folder.relative_to(root).as_posix()
	target = into / "blueprints"
	target.mkdir(parents=True)
	# paths given to ls-tree are relative to the working directory, so ask from the repo root
	listing = git(root, "ls-tree", "--name-only", ref, f"{inside}/", fix=UNREADABLE_REF)
	for path in listing.splitlines():
		if path.endswith(".json"):
			text = git(root, "show", f"{ref}:{path}", fix=UNREADABLE_REF)
			(target / Path(path).name).write_text(text, encoding="utf-8")
	return Source(into, source.label)
