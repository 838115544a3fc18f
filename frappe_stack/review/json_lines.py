"""The line each JSON path starts on in a JSON text, so findings can point editors and code
scanning at the right line. A tiny scanner: the json module keeps no positions."""

import bisect
import json
import re

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
_PARENT = re.compile(r"(\.[^.\[]*|\[\d+\])$")


def path_lines(text: str) -> dict[str, int]:
	"""JSON path ("$", "$.documents[2]", "$.documents[2].script") -> 1-based line of its value."""
	newlines = [i for i, char in enumerate(text) if char == "\n"]
	lines: dict[str, int] = {}

	def line(offset: int) -> int:
		return bisect.bisect_right(newlines, offset - 1) + 1

	def skip(i: int) -> int:
		return _SPACE.match(text, i).end()

	def value(i: int, path: str) -> int:
		i = skip(i)
		lines[path] = line(i)
		if text.startswith("{", i):
			i = skip(i + 1)
			if text.startswith("}", i):
				return i + 1
			while True:
				key, i = json.decoder.scanstring(text, skip(i) + 1)
				i = skip(i)
				if not text.startswith(":", i):
					raise ValueError(f"expected ':' at offset {i}")
				i = skip(value(i + 1, f"{path}.{key}"))
				if text.startswith("}", i):
					return i + 1
				i += 1  # the comma
		if text.startswith("[", i):
			i = skip(i + 1)
			if text.startswith("]", i):
				return i + 1
			index = 0
			while True:
				i = skip(value(i, f"{path}[{index}]"))
				index += 1
				if text.startswith("]", i):
					return i + 1
				i += 1
		_, end = _DECODER.raw_decode(text, i)
		return end

	value(0, "$")
	return lines


def line_of(lines: dict[str, int], path: str) -> int:
	"""The line of `path`, or of its nearest ancestor present (a removed row points at its table)."""
	while path:
		if path in lines:
			return lines[path]
		trimmed = _PARENT.sub("", path)
		if trimmed == path:
			break
		path = trimmed
	return 1
