"""The review's Context for a site reached over HTTP (`frappe-stack review --url`), asking few
requests. No frappe import: it runs anywhere.

Rules ask their questions one at a time, and some questions depend on earlier answers (a field's
rows are counted only when its DocType is on the site; a Property Setter's counts depend on the
field definition it overrides). Asking each over HTTP would cost a round trip per question, so
`settle` runs the review in passes instead: a pass answers what is known and guesses the rest,
noting each question it guessed; those go to the site in one request; the next pass runs with
their answers. The first pass that guessed nothing is the review: every answer it used came from
the site. A change asks its questions in one request, or two when a Property Setter overrides a
field defined only on the site (its counts can only be asked once the definition is known).

A guess only shapes a pass that is thrown away, by deciding which further questions it gets to
ask: every DocType is guessed to exist, so the first pass already asks the counts of every field
it could (the site answers 0 for a table it lacks); counts guess 0 and roles guess none, which
gate no other question; a field definition guesses absent, so its counts wait for the next pass.
"""

import copy
from collections.abc import Callable
from typing import TypeVar

from frappe_stack.errors import StackError
from frappe_stack.review.questions import MAX_QUESTIONS, from_json

T = TypeVar("T")
Ask = Callable[[list[list]], list]  # questions -> answers, in order: one request


class _EveryName(frozenset):
	"""Holds every name: which DocTypes a site has, guessed before it said."""

	def __contains__(self, name) -> bool:
		return True


EVERY_NAME = _EveryName()


class RemoteFacts:
	"""Lives for one review: every answer is kept, so no question goes to the site twice."""

	def __init__(self, ask: Ask, page_size: int = MAX_QUESTIONS):
		self._ask = ask
		self.page_size = page_size
		self._answers: dict[tuple, object] = {}
		self._guessed: dict[tuple, list] = {}  # questions of this pass, in the order asked
		self._settling = False

	def settle(self, work: Callable[[], T]) -> T:
		"""Run `work` (a review over this context) in passes until one guesses nothing; its result."""
		self._settling = True
		try:
			while True:
				result = work()
				if not self._guessed:
					return result
				self._fetch()
		finally:
			self._settling = False

	# ---- the Context (review/context.py) --------------------------------------------------------

	def doctypes(self) -> set[str]:
		return self._answer(EVERY_NAME, "doctypes")

	def roles(self) -> set[str]:
		return self._answer(frozenset(), "roles")

	def field_definition(self, doctype: str, fieldname: str) -> dict | None:
		return self._answer(None, "field_definition", doctype, fieldname)

	def count_rows(self, doctype: str) -> int:
		return self._answer(0, "count_rows", doctype)

	def count_filled(self, doctype: str, fieldname: str) -> int:
		return self._answer(0, "count_filled", doctype, fieldname)

	def count_empty(self, doctype: str, fieldname: str) -> int:
		return self._answer(0, "count_empty", doctype, fieldname)

	def count_values(self, doctype: str, fieldname: str, values: list[str]) -> int:
		return self._answer(0, "count_values", doctype, fieldname, list(values))

	def count_too_long(self, doctype: str, fieldname: str, length: int) -> int:
		return self._answer(0, "count_too_long", doctype, fieldname, length)

	def count_not_numeric(self, doctype: str, fieldname: str) -> int:
		return self._answer(0, "count_not_numeric", doctype, fieldname)

	# ---- asking ---------------------------------------------------------------------------------

	def _answer(self, guess, method: str, *args):
		key = (method, *(tuple(a) if isinstance(a, list) else a for a in args))
		if key not in self._answers:
			self._guessed[key] = [method, list(args)]
			if self._settling:
				return guess
			self._fetch()  # used outside settle(): a plain Context, one request per new question
		# a copy, as SiteFacts gives: a rule changing its answer must not change the next one's
		return copy.deepcopy(self._answers[key])

	def _fetch(self) -> None:
		pending = list(self._guessed.items())
		self._guessed.clear()
		for start in range(0, len(pending), self.page_size):
			page = pending[start : start + self.page_size]
			answers = self._ask([question for _, question in page])
			if not isinstance(answers, list) or len(answers) != len(page):
				raise StackError(
					f"the site answered {len(answers) if isinstance(answers, list) else 'no list'} "
					f"to {len(page)} review question(s): is its frappe_stack the same version as this one?"
				)
			for (key, (method, _)), value in zip(page, answers, strict=True):
				self._answers[key] = from_json(method, value)
