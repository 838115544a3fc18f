"""The workflow layer reaches Frappe only through frappe_stack.site, and the deploy runner (its
steps and the Deployment) not even through that: it is given the adapter, so it runs on fakes."""

import ast
from pathlib import Path

WORKFLOWS = Path(__file__).resolve().parent.parent / "frappe_stack" / "workflows"
GIVEN_THEIR_ADAPTERS = ("steps.py", "deployment.py")


def imported(path: Path) -> set[str]:
	names = set()
	for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
		if isinstance(node, ast.Import):
			names |= {alias.name for alias in node.names}
		elif isinstance(node, ast.ImportFrom) and node.module:
			names.add(node.module)
	return names


def test_no_workflow_module_imports_frappe():
	modules = sorted(WORKFLOWS.glob("*.py"))
	assert len(modules) > 5
	for path in modules:
		frappe = [name for name in imported(path) if name == "frappe" or name.startswith("frappe.")]
		assert not frappe, f"{path.name} imports {frappe}: reach Frappe through frappe_stack.site"


def test_the_deploy_runner_is_given_its_adapters():
	for name in GIVEN_THEIR_ADAPTERS:
		site = [m for m in imported(WORKFLOWS / name) if m.startswith("frappe_stack.site")]
		assert not site, f"{name} imports {site}: take the adapter as an argument"
