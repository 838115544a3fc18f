"""The review Context's questions as plain data, so they can travel to a site and back: a question
is [method, args], the method one of the Context protocol's and the args what its signature takes.
The site answers a list of them through its own Context (api.facts, `answer_all`); RemoteFacts
(remote_facts.py) asks them. The protocol is the one list of what may be asked: nothing else of
the site's Context (its private helpers, say) can be reached this way."""

import inspect
import typing

from frappe_stack.errors import StackError
from frappe_stack.review.context import Context

# At most this many questions per request: a review asks a handful per changed field.
MAX_QUESTIONS = 1000


class BadQuestion(StackError):
	pass


def _signatures() -> dict[str, tuple[list, object]]:
	signatures = {}
	for name, function in vars(Context).items():
		if name.startswith("_") or not inspect.isfunction(function):
			continue
		hints = typing.get_type_hints(function)
		params = list(inspect.signature(function).parameters)[1:]  # without self
		signatures[name] = ([hints[param] for param in params], hints["return"])
	return signatures


# method -> (argument types, answer type)
SIGNATURES = _signatures()


def _fits(value, hint) -> bool:
	if typing.get_origin(hint) is list:
		(item,) = typing.get_args(hint)
		return isinstance(value, list) and all(_fits(v, item) for v in value)
	if hint is int:
		return isinstance(value, int) and not isinstance(value, bool)
	return isinstance(value, hint)


def check(question) -> tuple[str, list]:
	"""The question's method and args, or BadQuestion saying what is wrong with it. Table and
	column names are only typed here; the site's Context checks them against its database."""
	if not (isinstance(question, list | tuple) and len(question) == 2):
		raise BadQuestion(f"a question is [method, args], not {str(question)[:100]}")
	method, args = question
	if method not in SIGNATURES:
		raise BadQuestion(
			f"unknown question {str(method)[:100]!r}; ask one of {', '.join(sorted(SIGNATURES))}"
		)
	types, _ = SIGNATURES[method]
	if not isinstance(args, list) or len(args) != len(types):
		raise BadQuestion(f"{method} takes {len(types)} argument(s) in a list")
	for value, hint in zip(args, types, strict=True):
		if not _fits(value, hint):
			raise BadQuestion(f"{method}: {str(value)[:100]!r} is not a {getattr(hint, '__name__', hint)}")
	return method, args


def answer_all(context: Context, questions: list) -> list:
	"""Each question's answer, in order, as JSON values (a set becomes a sorted list). Every
	question is checked before the first is answered, so a bad one costs the site no query."""
	if not isinstance(questions, list):
		raise BadQuestion("questions: a list of [method, args]")
	if len(questions) > MAX_QUESTIONS:
		raise BadQuestion(f"ask at most {MAX_QUESTIONS} questions per request")
	answers = []
	for method, args in [check(question) for question in questions]:
		answer = getattr(context, method)(*args)
		answers.append(sorted(answer) if isinstance(answer, set | frozenset) else answer)
	return answers


def from_json(method: str, value):
	"""An answer as the Context protocol returns it (a list sent for a set is a set again)."""
	_, returns = SIGNATURES[method]
	return set(value) if typing.get_origin(returns) is set or returns is set else value
