"""Helpers shared by test_loader_* (split from one test file).

Per-file checks: every bad input names the file, the JSON path and the fix (law 5)."""

import pytest

from frappe_stack.blueprint.validate import load_blueprint_set
from frappe_stack.errors import BlueprintError, ValidationFailed


def problems(repo, schema=None) -> list[BlueprintError]:
	with pytest.raises(ValidationFailed) as excinfo:
		load_blueprint_set(repo.root, schema)
	errors = excinfo.value.errors
	assert all(e.fix for e in errors), errors
	assert "nothing was written" in str(excinfo.value)
	return errors


def only_problem(repo, schema=None) -> BlueprintError:
	errors = problems(repo, schema)
	assert len(errors) == 1, [str(e) for e in errors]
	return errors[0]
