"""The release `ship` makes, apart from the site that holds the Promotion records: whether it may be
made (every reason it may not, found before anything is written), its CHANGELOG.md entry built from
the promotions it ships, and the git steps that publish it (commit, annotated tag, push).

Promotions arrive as plain dicts, as the site reads them: name, status, label, pr_number, pr_url,
emergency, emergency_reason and their `blueprints` rows (blueprint, action, documents, detail)."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from frappe_stack import git_command
from frappe_stack.config import Settings
from frappe_stack.errors import StackError
from frappe_stack.promote import changelog, git, semver
from frappe_stack.promote.summary import ADDED_BP, CHANGED_BP, REMOVED_BP, BlueprintChange
from frappe_stack.statuses import PromotionStatus

GITHUB_API, GITHUB_WEB = "https://api.github.com", "https://github.com"
ENTERPRISE_API = "/api/v3"  # GitHub Enterprise serves its API under the web address


def last_promotion_refusal(last: dict | None, site: str) -> str | None:
	"""Why the last promotion stops a release (None when it is Deployed): production must be running
	what the release says, so nothing half-way, rolled back or failed may come last."""
	if last is None:
		return (
			f"no promotion has reached {site}; fix: deploy one there "
			f"(bench --site {site} frappe-stack deploy --promotion ID), then ship"
		)
	status = last["status"]
	if status == PromotionStatus.DEPLOYED:
		return None
	name = last["name"]
	fixes = {
		PromotionStatus.SHIPPED: "nothing was deployed since the last release; deploy a promotion, then ship",
		# deploy pushes revert/<ID> whether or not GitHub is configured, but opens its pull request only with GitHub
		PromotionStatus.ROLLED_BACK: (
			f"production was restored to before it; merge the pull request of its revert branch revert/{name} "
			f"(if none is open: gh pr create --head revert/{name} --fill), or of a fix; deploy that, then ship"
		),
		PromotionStatus.FAILED: f"see its journal (/app/promotion/{name}), bring production back to a known state and deploy again",
		PromotionStatus.DEPLOYING: f"let its deploy finish, or resume it: bench --site {site} frappe-stack deploy --promotion {name}",
	}
	fix = fixes.get(status, "merge its pull request and deploy it, then ship")
	label = f" ({last['label']})" if last.get("label") else ""
	return f"the last promotion {name}{label} is {status}, not Deployed; fix: {fix}"


def released_in(root: Path, promotions: list[dict]) -> dict[str, str]:
	"""{promotion: the oldest version tag that already contains its merged commit}: the tags are the
	record of what was shipped, even when a restore left a promotion Deployed on the site. A commit
	the checkout does not know counts as not released."""
	tagged = {}
	for promotion in promotions:
		commit = promotion.get("merge_commit") or promotion.get("head_commit")
		if not commit:
			continue
		listed = git_command.git(root, "tag", "--contains", commit, check=False) or ""
		versions = [(version, tag) for tag in listed.split() if (version := semver.parse(tag))]
		if versions:
			tagged[promotion["name"]] = min(versions, key=lambda pair: pair[0])[1]
	return tagged


def repo_refusals(root: Path, settings: Settings, version: str) -> tuple[list[str], str | None]:
	"""Every reason the config repo cannot take release `version` now, and the last version tag.
	The remote is fetched first (tags too), so a release shipped from another clone counts."""
	try:
		git.head_sha(root)
	except StackError as e:
		return [str(e)], None  # not a checkout: every other check would say the same again
	reasons = []
	base = settings.base_branch
	branch = git.current_branch(root)
	if branch != base:
		on = "HEAD is detached" if branch is None else f"branch {branch} is checked out"
		reasons.append(f"{root}: {on}, not {base}; fix: git switch {base} (releases are made on {base})")
	for check in (
		lambda: git.ensure_clean(root),
		lambda: git.ensure_up_to_date(root, settings.remote, base),
	):
		try:
			check()
		except StackError as e:
			reasons.append(str(e))
	identity = git.identity_refusal(root)  # else found only when the release commit is made
	if identity:
		reasons.append(identity)
	previous = git.last_version_tag(root)
	problem = semver.next_allowed(version, [previous] if previous else [])
	return ([problem] if problem else []) + reasons, previous


def changes_of(promotions: list[dict]) -> list[BlueprintChange]:
	"""One change per blueprint for the whole release, from the promotions' rows (oldest first): a
	blueprint added and later changed was added; one added and removed again is left out."""
	rows: dict[str, list[dict]] = {}
	for promotion in promotions:
		for row in promotion.get("blueprints") or []:
			rows.setdefault(row["blueprint"], []).append(row)
	changes = []
	for name, seen in rows.items():
		first, last = seen[0]["action"], seen[-1]["action"]
		if first == ADDED_BP and last == REMOVED_BP:
			continue
		action = ADDED_BP if first == ADDED_BP else REMOVED_BP if last == REMOVED_BP else CHANGED_BP
		details = dict.fromkeys(row["detail"].strip() for row in seen if (row.get("detail") or "").strip())
		# rows count documents, not which ones: a sum would count a document changed twice twice
		documents = max(int(row.get("documents") or 0) for row in seen)
		# each promotion's detail in turn: "9 new (...); then 1 changed (...)" is one history
		changes.append(BlueprintChange(name, action, documents, "; then ".join(details)))
	return changes


def entry_of(version: semver.Version, day: date, promotions: list[dict]) -> changelog.Entry:
	listed = [
		changelog.Promotion(
			p["name"],
			p.get("label") or "",
			p.get("pr_number") or None,  # an Int field holds 0 when no pull request was opened
			p.get("pr_url") or None,
			(p.get("emergency_reason") or None) if p.get("emergency") else None,
		)
		for p in promotions
	]
	return changelog.entry(version, day, listed, changes_of(promotions))


def web_url(settings: Settings) -> str | None:
	"""The GitHub repository's web address, for the changelog's compare links; None when there is
	no [github] repo, or its api_url has no known web address (no link beats a wrong one)."""
	if not settings.github_repo:
		return None
	api = settings.github_api.rstrip("/")
	if api == GITHUB_API:
		host = GITHUB_WEB
	elif api.endswith(ENTERPRISE_API):
		host = api[: -len(ENTERPRISE_API)]
	else:
		return None
	return f"{host}/{settings.github_repo}"


def changelog_refusal(root: Path, entry: changelog.Entry) -> str | None:
	"""Why the entry cannot go into CHANGELOG.md (one for this version is there already), or None."""
	path = root / changelog.FILE
	try:
		changelog.insert(path.read_bytes().decode("utf-8") if path.exists() else None, entry)
	except StackError as e:
		return str(e)
	except (OSError, UnicodeDecodeError) as e:
		return f"{path}: cannot read it ({type(e).__name__}); fix: make it a readable UTF-8 file"
	return None


def publish(root: Path, settings: Settings, entry: changelog.Entry, previous_tag: str | None) -> str:
	"""Write the entry into CHANGELOG.md, commit it, put the annotated tag on that commit and push the
	base branch and the tag (fast-forward only); the release commit's sha."""
	tag, base, remote = entry.version.tag, settings.base_branch, settings.remote
	path = root / changelog.FILE
	before = path.read_bytes() if path.exists() else None
	changelog.write(path, entry, web_url(settings), previous_tag)
	try:
		sha = git.commit_paths(root, [changelog.FILE], f"Release {tag}")
	except StackError:
		# leave the checkout as it was, so that ship runs again once the cause is fixed
		# check=False: the error being raised says why ship stopped; a reset that fails too adds nothing
		git_command.git(root, "reset", "--quiet", "--", changelog.FILE, check=False)
		if before is None:
			path.unlink()
		else:
			path.write_bytes(before)
		raise
	try:
		git.annotated_tag(root, tag, f"Release {tag}\n\n{changelog.release_notes(entry)}")
		git.push(root, remote, base, protected=settings.protected)
	except StackError as e:
		raise StackError(
			f"{e} (nothing was pushed; to run ship again, first undo the local release: "
			f"git tag --delete {tag}; git reset --keep HEAD~1)"
		) from None
	try:
		git.push_tag(root, remote, tag)
	except StackError as e:
		raise StackError(
			f"{e} ({base} with the release commit is pushed, tag {tag} is not: push it with "
			f"git push {remote} {tag}; the promotions stay Deployed and the GitHub release is not made)"
		) from None
	return sha


@dataclass
class ShipResult:
	site: str
	version: str  # as typed
	tag: str = ""
	previous_tag: str | None = None
	reasons: list[str] = field(default_factory=list)  # why it was refused; empty when shipped
	branch: str = ""
	remote: str = ""
	commit: str = ""
	changelog: str = ""  # the entry, as CHANGELOG.md has it
	promotions: list[str] = field(default_factory=list)  # marked Shipped
	release_url: str = ""
	release_error: str = ""
	slack: str = ""  # posted | failed | not configured | turned off
	slack_error: str = ""

	@property
	def refused(self) -> bool:
		return bool(self.reasons)

	def as_dict(self) -> dict:
		return dict(self.__dict__) | {"refused": self.refused}

	def text(self) -> str:
		if self.refused:
			lines = [f"Ship {self.version} refused on {self.site}; nothing was written or pushed:"]
			return "\n".join(lines + [f"  - {reason}" for reason in self.reasons])
		previous = f"after {self.previous_tag}" if self.previous_tag else "the first release"
		lines = [
			f"Shipped {self.tag} from {self.site} ({previous})",
			f"  commit   {self.commit[:12]} Release {self.tag} on {self.branch}, pushed to {self.remote}",
			f"  tag      {self.tag} (annotated), pushed to {self.remote}",
			f"  shipped  {', '.join(self.promotions) or 'no promotion'}",
		]
		if self.release_url:
			lines.append(f"  GitHub release: {self.release_url}")
		elif self.release_error:
			lines.append(f"  GitHub release NOT created: {self.release_error}")
		else:
			lines.append("  GitHub release: none, no [github] repo in frappe-stack.toml")
		slack = f"failed, {self.slack_error} (the release stands)" if self.slack == "failed" else self.slack
		lines += [f"  Slack: {slack}", "", f"{changelog.FILE}:", self.changelog.rstrip("\n")]
		return "\n".join(lines)
