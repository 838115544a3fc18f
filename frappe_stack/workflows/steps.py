"""Typed steps, run the way frappe/press runs an Agent Job's steps: declared once, in order, each a
function; each has a row (Pending, Running, Success, Failure, Skipped) with its start, end,
duration, output and error, saved the moment it changes. A run killed between two steps (or in
one) is resumed from the first row that is not Success."""

import time
from collections.abc import Callable
from dataclasses import dataclass

from frappe_stack.statuses import StepStatus

# how the command's output names a row's state (deploy's JSON keeps these words)
REPORTED = {StepStatus.SUCCESS: "done", StepStatus.FAILURE: "failed", StepStatus.SKIPPED: "skip"}
DONE_BEFORE = "done before the interruption"


@dataclass
class Step:
	name: str
	run: Callable[[], str | None]  # returns what the row's output says
	# a switch rather than work (maintenance on): set again on resume, since the site may have been
	# changed by hand after the interruption
	redo_on_resume: bool = False


@dataclass
class StepRow:
	step: str
	status: StepStatus = StepStatus.PENDING
	started: str | None = None
	ended: str | None = None
	duration: float = 0.0
	output: str = ""
	error: str = ""

	def as_dict(self) -> dict:
		return {**self.__dict__, "status": self.status.value}

	@classmethod
	def of(cls, row: dict) -> "StepRow":
		fields = {k: row.get(k) for k in ("step", "started", "ended")}
		return cls(
			**fields,
			status=StepStatus(row.get("status") or StepStatus.PENDING.value),
			duration=row.get("duration") or 0.0,
			output=row.get("output") or "",
			error=row.get("error") or "",
		)


class StepFailed(Exception):
	def __init__(self, step: str, reason: str):
		self.step, self.reason = step, reason
		super().__init__(reason)


class StepRunner:
	"""`save(row, note)` writes one row (and commits it); `note` is the journal line, "" for none.
	`rows`: the rows on record, for a resume; a fresh run passes none and starts all Pending."""

	def __init__(
		self,
		steps: list[Step],
		rows: list[dict],
		save: Callable[[StepRow, str], None],
		clock: Callable[[], str],
		error_text: Callable[[Exception], str],
	):
		self.steps, self.save, self.clock, self.error_text = steps, save, clock, error_text
		recorded = {row["step"]: StepRow.of(row) for row in rows}
		self.rows = [recorded.get(step.name) or StepRow(step.name) for step in steps]
		self.report: list[dict] = []  # one line per step, for the command's output

	def as_dicts(self) -> list[dict]:
		return [row.as_dict() for row in self.rows]

	def first_unfinished(self) -> int:
		return next(
			(i for i, row in enumerate(self.rows) if row.status != StepStatus.SUCCESS), len(self.rows)
		)

	def run(self) -> None:
		"""Every step from the first one not Success; raises StepFailed (the rest marked Skipped)."""
		start = self.first_unfinished()
		for index, (step, row) in enumerate(zip(self.steps, self.rows, strict=True)):
			if index < start and not step.redo_on_resume:
				self.report.append({"step": step.name, "status": "skip", "detail": DONE_BEFORE})
				continue
			try:
				self._run(step, row)
			except StepFailed:
				self._skip_after(index, step.name)
				raise

	def _run(self, step: Step, row: StepRow) -> None:
		row.status, row.started, row.ended, row.duration = StepStatus.RUNNING, self.clock(), None, 0.0
		row.output = row.error = ""
		self.save(row, "start")
		began = time.monotonic()
		try:
			row.output = step.run() or ""
		except BaseException as exc:
			# an interruption (KeyboardInterrupt, SystemExit) is recorded too, then goes on up
			failed = exc if isinstance(exc, StepFailed) else None
			row.error = failed.reason if failed else self._describe(exc)
			self._end(row, StepStatus.FAILURE, began, f"failed: {row.error}")
			if failed or not isinstance(exc, Exception):
				raise
			raise StepFailed(step.name, row.error) from exc
		self._end(row, StepStatus.SUCCESS, began, "done" + (f": {row.output}" if row.output else ""))

	def _describe(self, exc: BaseException) -> str:
		if isinstance(exc, Exception):
			return self.error_text(exc)
		return f"interrupted ({type(exc).__name__})"

	def _end(self, row: StepRow, status: StepStatus, began: float, note: str) -> None:
		row.status, row.ended, row.duration = status, self.clock(), round(time.monotonic() - began, 3)
		self.report.append({"step": row.step, "status": REPORTED[status], "detail": row.output or row.error})
		self.save(row, note)

	def _skip_after(self, index: int, failed: str) -> None:
		for row in self.rows[index + 1 :]:
			row.status, row.output, row.error = StepStatus.SKIPPED, "", ""
			row.started = row.ended = None
			row.duration = 0.0
			self.report.append({"step": row.step, "status": "skip", "detail": f"not run: {failed} failed"})
			self.save(row, "")
