"""`bench --site PROD frappe-stack ship vX.Y.Z`, run where the deploys' Promotion records live: when
the version, the config repo and the last promotion all allow it (every reason they do not is
listed at once, before anything is written), write the CHANGELOG.md entry from the promotions
Deployed since the last release, commit it, tag that commit, push both, create the GitHub release
with the same notes, mark those promotions Shipped, audit it, and post the notes to Slack.

The tag is the release: once it is pushed, nothing undoes it. A GitHub release that fails after it
is reported (exit 1, to be made by hand); a Slack post that fails is reported and nothing more.
The site is open from start to end."""

import os
from datetime import date

from frappe_stack import stack
from frappe_stack.config import load_settings
from frappe_stack.errors import StackError
from frappe_stack.ledger import AuditRow
from frappe_stack.promote import changelog, release, semver, slack
from frappe_stack.promote.github import GitHub, GitHubError, env_token
from frappe_stack.site import bench_ops, promotions
from frappe_stack.site.frappe_site import connected
from frappe_stack.statuses import AuditResult, PromotionStatus

WEBHOOK_VARIABLE = "FRAPPE_STACK_SLACK_WEBHOOK"
WEBHOOK_KEY = "frappe_stack_slack_webhook"  # site config, for a webhook kept with the site


def run_ship(
	site_name: str, version: str, path: str | None = None, post: bool | None = None, day: date | None = None
) -> release.ShipResult:
	"""`post`: True posts to Slack (a missing webhook refuses the release), False does not, None posts
	when a webhook is set."""
	with connected(site_name) as site:
		return ship(site, version, path, post, day)


def ship(
	site, version: str, path: str | None = None, post: bool | None = None, day: date | None = None
) -> release.ShipResult:
	"""Release `version` from `site` (production, open)."""
	site_name = site.site_name()
	root = stack.config_root(site, path)
	settings = load_settings(root)
	last = promotions.latest_sent()
	shipping = promotions.in_status(PromotionStatus.DEPLOYED)
	webhook = os.environ.get(WEBHOOK_VARIABLE) or bench_ops.config_value(WEBHOOK_KEY) or ""
	day = day or bench_ops.today()  # today in the site's time zone
	result = release.ShipResult(site_name, version, branch=settings.base_branch, remote=settings.remote)

	reasons, result.previous_tag = release.repo_refusals(root, settings, version)
	# a restore can leave a shipped promotion Deployed on the site; the tags know better
	tagged = release.released_in(root, shipping)
	shipping = [p for p in shipping if p["name"] not in tagged]
	if last and last["name"] in tagged:
		last = {**last, "status": PromotionStatus.SHIPPED}
	if problem := release.last_promotion_refusal(last, site_name):
		reasons.append(problem)
	github = None
	if settings.github_repo:
		token = env_token()
		try:
			github = GitHub(settings.github_repo, token, settings.github_api)
		except GitHubError as e:
			reasons.append(f"{e} ([github] repo is set, so ship creates the release there)")
	if post and not webhook:
		reasons.append(
			f"--slack, but no Slack webhook; fix: set {WEBHOOK_VARIABLE} or the site config key "
			f"{WEBHOOK_KEY} to the incoming webhook's URL, or drop --slack"
		)
	wanted = semver.parse(version)
	entry = release.entry_of(wanted, day, shipping) if wanted else None
	if entry and (problem := release.changelog_refusal(root, entry)):
		reasons.append(problem)
	if reasons:
		result.reasons = reasons
		_audit(site, AuditResult.FAILED, f"{version} refused: " + " | ".join(reasons))
		return result

	result.tag, result.changelog = entry.version.tag, entry.text
	try:
		result.commit = release.publish(root, settings, entry, result.previous_tag)
	except StackError as e:
		_audit(site, AuditResult.FAILED, f"{result.tag} not published: {e}")
		raise
	notes = changelog.release_notes(entry)
	if github:
		try:
			result.release_url = github.create_release(result.tag, result.tag, notes)
		except GitHubError as e:
			result.release_error = (
				f"{e}; the tag stands: create the release for {result.tag} by hand, with the notes of "
				f"its {changelog.FILE} entry"
			)
	result.promotions = [p["name"] for p in shipping]
	made = result.release_url or result.release_error or "no GitHub release"
	for name in result.promotions:
		promotions.update(
			name,
			{"status": PromotionStatus.SHIPPED},
			f"shipped in {result.tag} ({result.commit[:12]})",
			step="ship",
		)
	for name, tag in tagged.items():
		promotions.update(name, {"status": PromotionStatus.SHIPPED}, f"shipped before, in {tag}", step="ship")
	_audit(
		site,
		AuditResult.FAILED if result.release_error else AuditResult.SUCCESS,
		f"{result.tag} at {result.commit}: {', '.join(result.promotions) or 'no promotion'}; {made}",
	)
	result.slack, result.slack_error = _post(webhook, post, result, notes, settings.github_repo or root.name)
	return result


def _audit(site, outcome: str, details: str) -> None:
	site.audit(AuditRow("ship", "", outcome, details=details))
	site.commit()


def _post(webhook: str, post: bool | None, result: release.ShipResult, notes: str, project: str):
	"""(what happened, why it failed): the webhook URL is a secret and appears in neither."""
	if post is False:
		return "turned off (--no-slack)", ""
	if not webhook:
		return f"not configured ({WEBHOOK_VARIABLE} or site config {WEBHOOK_KEY})", ""
	link = f"\n{result.release_url}" if result.release_url else ""
	failed = slack.post(webhook, f"*{project} {result.tag}* released{link}\n\n{notes}")
	return ("failed", failed) if failed else ("posted", "")
