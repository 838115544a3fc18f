"""Errors the user can act on. Each one renders as a single line that says where and how to fix it."""


class StackError(Exception):
	"""Base for errors shown to the user as one clean line (no traceback unless asked for)."""


class BlueprintError(StackError):
	"""A problem in one blueprint file, located by file and JSON path."""

	def __init__(self, file: str, path: str, message: str, fix: str):
		self.file = file
		self.path = path
		self.message = message
		self.fix = fix
		super().__init__(str(self))

	def __str__(self) -> str:
		return f"{self.file}: {self.path}: {self.message}. Fix: {self.fix}"

	def as_dict(self) -> dict:
		return {"file": self.file, "path": self.path, "message": self.message, "fix": self.fix}


class ValidationFailed(StackError):
	"""Every problem found in a set of blueprints; raised before anything is written."""

	def __init__(self, errors: list[BlueprintError], intro: str = ""):
		self.errors = errors
		self.intro = intro
		super().__init__(str(self))

	def __str__(self) -> str:
		lines = [self.intro] if self.intro else []
		lines += [f"{len(self.errors)} problem(s) in blueprints; nothing was written:"]
		lines += [f"  {e}" for e in self.errors]
		return "\n".join(lines)
