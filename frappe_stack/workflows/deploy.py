"""`bench --site PROD frappe-stack deploy --promotion ID | --ref SHA`, what CI runs after merge.
Deploy holds the site's deploy lock, checks the config repo is at the merged commit, checks the
plan saved at the approval still holds on production (plan_binding.py), finds (or makes) the
Promotion that records it, and runs the Deployment's steps (deployment.py). With
--rehearse, the same deploy runs on a scratch copy of production instead (rehearsal.py)."""

import json
from pathlib import Path

from frappe_stack import git_command, stack
from frappe_stack.errors import StackError
from frappe_stack.promote import git
from frappe_stack.site import bench_ops, promotions, scratch_site
from frappe_stack.site.frappe_site import connected
from frappe_stack.statuses import PromotionStatus
from frappe_stack.workflows.deployment import Deployment, DeployResult
from frappe_stack.workflows.merge_commit import merge_commit, past_merge_refusal
from frappe_stack.workflows.plan_binding import check_saved_plan, record_replan
from frappe_stack.workflows.promoting import PROMOTIONS_DIR
from frappe_stack.workflows.rehearsal import Rehearsal, RehearsalResult


def run_deploy(
	site_name: str,
	promotion: str | None,
	ref: str | None,
	path: str | None,
	wait: float = 0,
	replan: bool = False,
) -> DeployResult:
	with connected(site_name) as site:
		return deploy(site, site_name, promotion, ref, path, wait, replan)


def deploy(
	site,
	site_name: str,
	promotion: str | None,
	ref: str | None,
	path: str | None,
	wait: float = 0,
	replan: bool = False,
):
	"""Deploy on `site`, already open. `replan`: deploy even when the plan saved at the approval no
	longer holds on production (recorded in the audit log)."""
	root, commit = _what_to_deploy(site, promotion, ref, path)
	manifest, status = _approved(root, promotion, commit, site_name) if promotion else ({}, None)
	with bench_ops.deploy_lock(site_name, wait):
		# a deploy that waited for another one reads production as that one left it
		site.commit()
		plan = check_saved_plan(
			site,
			root,
			root / PROMOTIONS_DIR,
			promotion,
			manifest,
			status == PromotionStatus.DEPLOYING,
			replan,
		)
		name = _promotion_record(promotion, manifest, status, commit, site_name)
		if plan.replanned:
			record_replan(site, promotions, name, plan)
		result = Deployment(site, site_name, root, name, commit, promotions, bench_ops).run()
	result.plan = plan.line
	return result


def run_rehearsal(
	site_name: str, promotion: str | None, ref: str | None, path: str | None
) -> RehearsalResult:
	"""`deploy --rehearse`: the same deploy on a scratch copy of `site_name` (rehearsal.py)."""
	with connected(site_name) as site:
		root, commit = _what_to_deploy(site, promotion, ref, path)
		if promotion:
			_manifest(root, promotion, commit)
		return Rehearsal(
			site, site_name, root, promotion or "", commit, promotions, bench_ops, scratch_site
		).run()


def _what_to_deploy(site, promotion: str | None, ref: str | None, path: str | None) -> tuple[Path, str]:
	"""The checkout migrate applies and its commit, which must be `ref` when one is given, or the
	promotion's merge commit (merge_commit.py)."""
	if bool(promotion) == bool(ref):
		raise StackError("say what to deploy: --promotion ID (a merged promotion) or --ref SHA")
	root = _checkout(site, path)
	commit = git.head_sha(root)
	if ref:
		wanted = (
			git_command.git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False) or ""
		).strip()
		if wanted != commit:
			raise StackError(
				f"{root} is at {commit[:12]}, not at {ref}: check out the merged commit first "
				f"(git fetch && git checkout {ref})"
			)
	if promotion:
		merged = merge_commit(root, f"{PROMOTIONS_DIR}/{promotion}.json")
		refusal = past_merge_refusal(promotion, commit, merged)
		if refusal:
			raise StackError(f"{root}: {refusal}")
	return root, commit


def _checkout(site, path: str | None) -> Path:
	"""The config repo migrate will apply: the site's configured source, clean."""
	configured = site.configured_source()
	if not configured:
		raise StackError(
			"the site has no frappe_stack_blueprints: set it to the config repo checkout "
			"(bench --site SITE set-config frappe_stack_blueprints /path/to/config-repo), so migrate applies it"
		)
	root = stack.config_root(site, path)
	if path and stack.config_root(site) != root:
		raise StackError(
			f"--path {path} is not the site's frappe_stack_blueprints ({configured}); migrate applies that "
			"one: deploy from it, or change the site config"
		)
	git.ensure_clean(root)
	return root


def _approved(root: Path, promotion: str, commit: str, target: str) -> tuple[dict, str | None]:
	"""The manifest promote recorded in the repo, and the status of the Promotion on this site (None
	before its first deploy). Reads only: a deploy refused later has written nothing."""
	manifest_file = _manifest(root, promotion, commit)
	status = promotions.get(promotion)["status"] if promotions.exists(promotion) else None
	if status == PromotionStatus.DEPLOYED:
		raise StackError(f"{promotion} is already Deployed on {target}; nothing to do")
	return json.loads(manifest_file.read_text(encoding="utf-8")), status


def _promotion_record(
	promotion: str | None, manifest: dict, status: str | None, commit: str, target: str
) -> str:
	"""The Promotion on this site that records the deploy: the one promote recorded in the repo
	(its manifest), created here on the first deploy, or one for a bare --ref."""
	if promotion:
		if status:
			return promotion
		return promotions.create(
			{
				"name": promotion,
				"label": manifest.get("label", ""),
				"source_environment": manifest.get("source", ""),
				"target_environment": target,
				"status": "Merged",
				"emergency": int(bool(manifest.get("emergency"))),
				"emergency_reason": manifest.get("emergency") or "",
				"merge_commit": commit,
			},
			manifest.get("checks", []),
			manifest.get("blueprints", []),
			f"merged as {commit[:12]}",
		)
	unfinished = promotions.unfinished_deploy(commit)
	if unfinished:
		return unfinished  # a deploy of this commit died half way: this run resumes it
	return promotions.create(
		{
			"label": f"ref-{commit[:12]}",
			"target_environment": target,
			"status": "Merged",
			"merge_commit": commit,
		},
		[],
		[],
		f"deploy of {commit[:12]}",
	)


def _manifest(root: Path, promotion: str, commit: str) -> Path:
	"""The promotion's manifest, which its merge put in the checkout."""
	manifest_file = root / PROMOTIONS_DIR / f"{promotion}.json"
	if not manifest_file.is_file():
		raise StackError(
			f"{manifest_file} is not in the checkout: {promotion} is not merged into {commit[:12]}; "
			"check out the merge commit of its pull request"
		)
	return manifest_file
