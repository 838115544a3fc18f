"""The package's shape, as the README's architecture section states it: no import cycle, Frappe
imported only by the adapter (frappe_stack/site/), the DocType controllers and the Frappe suite, and
no source file over 400 lines."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "frappe_stack"
# where `import frappe` belongs: the adapter, the DocType controllers, the tests that run in a bench
MAY_IMPORT_FRAPPE = ("frappe_stack/site/", "frappe_stack/frappe_stack/", "frappe_stack/tests/")
MAX_LINES = 400


def _modules() -> dict[str, Path]:
	modules = {}
	for path in sorted(PACKAGE.rglob("*.py")):
		parts = list(path.relative_to(ROOT).with_suffix("").parts)
		if parts[-1] == "__init__":
			parts.pop()
		modules[".".join(parts)] = path
	return modules


def _imports(path: Path, module: str, is_package: bool) -> list[str]:
	"""Every module this file imports, at any depth of the file (a function-level import is a cycle
	deferred, not one avoided)."""
	names = []
	package = module if is_package else module.rpartition(".")[0]
	for node in ast.walk(ast.parse(path.read_text(), str(path))):
		if isinstance(node, ast.Import):
			names += [alias.name for alias in node.names]
		elif isinstance(node, ast.ImportFrom):
			base = node.module or ""
			if node.level:
				anchor = package.split(".")
				anchor = anchor[: len(anchor) - node.level + 1]
				base = ".".join([*anchor, base] if base else anchor)
			names.append(base)
			names += [f"{base}.{alias.name}" for alias in node.names]
	return names


def _graph() -> dict[str, set[str]]:
	modules = _modules()
	graph = {}
	for module, path in modules.items():
		if module.startswith("frappe_stack.tests"):
			continue
		targets = _imports(path, module, path.name == "__init__.py")
		graph[module] = {
			t for t in targets if t in modules and t != module and not t.startswith("frappe_stack.tests")
		}
	return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
	"""Strongly connected components of more than one module (Tarjan)."""
	index, low, stack, on_stack, found = {}, {}, [], set(), []

	def visit(node: str) -> None:
		index[node] = low[node] = len(index)
		stack.append(node)
		on_stack.add(node)
		for target in sorted(graph.get(node, ())):
			if target not in index:
				visit(target)
				low[node] = min(low[node], low[target])
			elif target in on_stack:
				low[node] = min(low[node], index[target])
		if low[node] == index[node]:
			component = []
			while True:
				member = stack.pop()
				on_stack.discard(member)
				component.append(member)
				if member == node:
					break
			if len(component) > 1:
				found.append(sorted(component))

	for node in sorted(graph):
		if node not in index:
			visit(node)
	return found


def test_no_import_cycle_anywhere_in_the_package():
	graph = _graph()
	assert len(graph) > 50, "the walk found too few modules to mean anything"
	assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle_through_three_modules():
	graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
	assert _cycles(graph) == [["a", "b", "c"]]


def test_only_the_adapter_and_doctype_controllers_import_frappe():
	offenders = []
	for module, path in _modules().items():
		relative = path.relative_to(ROOT).as_posix()
		if relative.startswith(MAY_IMPORT_FRAPPE):
			continue
		imported = _imports(path, module, path.name == "__init__.py")
		if any(name == "frappe" or name.startswith("frappe.") for name in imported):
			offenders.append(relative)
	assert offenders == []


def test_no_source_file_over_400_lines():
	sources = [
		*PACKAGE.rglob("*.py"),
		*(ROOT / "scripts").rglob("*.py"),
		*(ROOT / "benchmarks").rglob("*.py"),
	]
	assert len(sources) > 50
	long = {
		p.relative_to(ROOT).as_posix(): n
		for p in sources
		if (n := len(p.read_text().splitlines())) > MAX_LINES
	}
	assert long == {}


def test_no_two_modules_share_a_name():
	"""A name says what a module does; two `roles.py` say nothing. Frappe fixes the names of DocType
	controllers (doctype/<name>/<name>.py), so those do not count."""
	seen: dict[str, list[str]] = {}
	for module, path in _modules().items():
		relative = path.relative_to(ROOT).as_posix()
		if relative.startswith(("frappe_stack/tests/", "frappe_stack/frappe_stack/")):
			continue
		seen.setdefault(module.rpartition(".")[2], []).append(relative)
	assert len(seen) > 50
	assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}
