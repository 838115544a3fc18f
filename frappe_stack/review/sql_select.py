"""Find `SELECT *` (or `SELECT t.*`) in SQL text, in any SELECT of the query including subqueries.

Loose on purpose: comments and quoted text are blanked, then each SELECT's column list is split at
its own commas; a column that is only `*` or `name.*` counts, `count(*)` does not."""

import re

TOKEN = re.compile(r"`[^`]*`|\w+|[().,*]|\S")
NOISE = re.compile(r"--[^\n]*|#[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.)*\"", re.S)
MODIFIERS = frozenset({"distinct", "all", "distinctrow", "sql_calc_found_rows", "straight_join"})
ENDS = frozenset({"from", "into", "where", "group", "order", "limit", "union", "having"})


def _tokens(sql: str) -> list[str]:
	return TOKEN.findall(NOISE.sub(" '' ", sql))


def _columns(tokens: list[str], start: int) -> list[list[str]]:
	"""The column expressions of the SELECT at `start`, each as its tokens."""
	columns, current, depth = [], [], 0
	for token in tokens[start + 1 :]:
		lower = token.lower()
		if depth == 0 and (lower in ENDS or token == ")"):
			break
		depth += (token == "(") - (token == ")")
		if depth == 0 and token == ",":
			columns.append(current)
			current = []
		elif not (depth == 0 and not current and lower in MODIFIERS):
			current.append(token)
	return [*columns, current]


def _is_star(column: list[str]) -> bool:
	return column == ["*"] or (len(column) == 3 and column[1:] == [".", "*"])


def selects_star(sql: str) -> bool:
	tokens = _tokens(sql)
	return any(
		_is_star(column)
		for index, token in enumerate(tokens)
		if token.lower() == "select"
		for column in _columns(tokens, index)
	)
