"""What the script rules look for in Server Script code, read from its syntax tree (never by
searching the text, which comments and strings would fool)."""

import ast
from dataclasses import dataclass
from functools import lru_cache

SQL_CALLS = frozenset({"frappe.db.sql", "frappe.db.sql_list", "frappe.db.multisql"})
# key or variable names whose literal string value is a credential
CREDENTIAL_NAMES = frozenset(
	{"password", "passwd", "pwd", "secret", "api_secret", "api_key", "token", "access_token", "client_secret"}
)
AUTH_HEADER = "authorization"


@dataclass(frozen=True)
class Spot:
	line: int
	what: str  # says where and what, never the value found


@lru_cache(maxsize=256)
def parse(code: str) -> ast.Module | SyntaxError:
	try:
		return ast.parse(code)
	except SyntaxError as e:
		return e


def dotted(node: ast.AST) -> str:
	"""`frappe.db.sql` for the expression frappe.db.sql; "" for anything else."""
	parts = []
	while isinstance(node, ast.Attribute):
		parts.append(node.attr)
		node = node.value
	if isinstance(node, ast.Name):
		parts.append(node.id)
		return ".".join(reversed(parts))
	return ""


def _truthy_or_unknown(node: ast.AST) -> bool:
	return not (isinstance(node, ast.Constant) and not node.value)


def ignore_permissions(tree: ast.Module) -> list[Spot]:
	spots = []
	for node in ast.walk(tree):
		if isinstance(node, ast.Call):
			for kw in node.keywords:
				if kw.arg == "ignore_permissions" and _truthy_or_unknown(kw.value):
					spots.append(
						Spot(node.lineno, f"{dotted(node.func) or 'a call'}(ignore_permissions=...)")
					)
		elif isinstance(node, ast.Assign) and _truthy_or_unknown(node.value):
			for target in node.targets:
				name = dotted(target)
				if name.endswith(".flags.ignore_permissions"):
					spots.append(Spot(node.lineno, f"{name} = ..."))
	return spots


def db_commits(tree: ast.Module) -> list[Spot]:
	return [
		Spot(node.lineno, "frappe.db.commit()")
		for node in ast.walk(tree)
		if isinstance(node, ast.Call) and dotted(node.func) == "frappe.db.commit"
	]


def _assignments(tree: ast.Module) -> dict[str, list[ast.AST]]:
	"""Every value each plain variable is given; `q += ...` counts as building q by concatenation."""
	values: dict[str, list[ast.AST]] = {}
	for node in ast.walk(tree):
		if isinstance(node, ast.Assign):
			for target in node.targets:
				if isinstance(target, ast.Name):
					values.setdefault(target.id, []).append(node.value)
		elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
			values.setdefault(node.target.id, []).append(node.value)
		elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
			op = node.op if isinstance(node.op, ast.Add | ast.Mod) else None
			if op is not None:
				values.setdefault(node.target.id, []).append(ast.BinOp(node.target, op, node.value))
	return values


def _built(node: ast.AST, values: dict[str, list[ast.AST]], seen: frozenset = frozenset()) -> str | None:
	"""How a string is built from pieces at run time, or None for a literal (or unknown) query."""
	if isinstance(node, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in node.values):
		return "an f-string"
	if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
		if _stringy(node.left, values, seen):
			return "% formatting"
	if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
		if _stringy(node.left, values, seen) or _stringy(node.right, values, seen):
			return "+ concatenation"
	if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
		return ".format()"
	if isinstance(node, ast.Dict):  # multisql: {"mariadb": query, "postgres": query}
		return next((how for v in node.values if v and (how := _built(v, values, seen))), None)
	if isinstance(node, ast.Name) and node.id not in seen:
		inner = seen | {node.id}
		return next((how for v in values.get(node.id, []) if (how := _built(v, values, inner))), None)
	return None


def _stringy(node: ast.AST, values: dict[str, list[ast.AST]], seen: frozenset) -> bool:
	if isinstance(node, ast.Constant):
		return isinstance(node.value, str)
	if isinstance(node, ast.JoinedStr):
		return True
	if isinstance(node, ast.BinOp):
		return _stringy(node.left, values, seen) or _stringy(node.right, values, seen)
	if isinstance(node, ast.Name) and node.id not in seen:
		return any(_stringy(v, values, seen | {node.id}) for v in values.get(node.id, []))
	return False


def built_sql(tree: ast.Module) -> list[Spot]:
	values = _assignments(tree)
	spots = []
	for node in ast.walk(tree):
		if not (isinstance(node, ast.Call) and dotted(node.func) in SQL_CALLS):
			continue
		query = (
			node.args[0] if node.args else next((kw.value for kw in node.keywords if kw.arg == "query"), None)
		)
		how = _built(query, values) if query is not None else None
		if how:
			spots.append(Spot(node.lineno, f"{dotted(node.func)}() gets SQL built by {how}"))
	return spots


def _literal(node: ast.AST | None) -> bool:
	return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip() != ""


def _credential_name(name) -> bool:
	return isinstance(name, str) and name.lower().replace("-", "_") in CREDENTIAL_NAMES


def _auth_literal(name, value: ast.AST | None) -> bool:
	"""An Authorization header written out in full (built from a variable it would be fine)."""
	return isinstance(name, str) and name.lower() == AUTH_HEADER and _literal(value)


def literal_credentials(tree: ast.Module) -> list[Spot]:
	"""Passwords, tokens and Authorization headers given as literal strings in the code."""
	spots = []
	for node in ast.walk(tree):
		pairs = []
		if isinstance(node, ast.Dict):
			pairs = [
				(k.value, v)
				for k, v in zip(node.keys, node.values, strict=True)
				if isinstance(k, ast.Constant)
			]
		elif isinstance(node, ast.Call):
			pairs = [(kw.arg, kw.value) for kw in node.keywords]
		elif isinstance(node, ast.Assign):
			pairs = [(t.id, node.value) for t in node.targets if isinstance(t, ast.Name)]
		for name, value in pairs:
			if _credential_name(name) and _literal(value):
				spots.append(Spot(node.lineno, f"a literal value for '{name}'"))
			elif _auth_literal(name, value):
				spots.append(Spot(node.lineno, "a literal Authorization header"))
	return spots
