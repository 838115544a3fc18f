"""The tests gate on a real bench: a git config repo carrying a small app that is neither installed
on any site nor listed in sites/apps.txt; its tests run with `run-tests` under coverage on the peer
site (a nested run on this site would fight this test's transaction) and are judged on the lines
changed since the base commit."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_bench_path

from frappe_stack.checks.app_tests import run_app_tests
from frappe_stack.tests.utils import bench, peer_site

APPS = {"sample_app": "sample_app"}
PACKAGE = Path("sample_app") / "sample_app"

BASE = {
	"blueprints/roles.json": '{\n "blueprint": "roles",\n "documents": []\n}\n',
	"sample_app/sample_app/__init__.py": '__version__ = "0.0.1"\n',
	"sample_app/sample_app/hooks.py": (
		'app_name = "sample_app"\napp_title = "Sample App"\napp_publisher = "frappe_stack tests"\n'
		'app_description = "An app carried by a config repo"\napp_license = "MIT"\n'
	),
	"sample_app/sample_app/modules.txt": "Sample App\n",
	"sample_app/sample_app/calc.py": "def add(a, b):\n\treturn a + b\n",
	"sample_app/sample_app/tests/__init__.py": "",
	"sample_app/sample_app/tests/test_calc.py": (
		"import frappe\n"
		"from frappe.tests.utils import FrappeTestCase\n\n"
		"from sample_app.calc import add\n\n\n"
		"class TestCalc(FrappeTestCase):\n"
		"\tdef test_add(self):\n"
		"\t\tself.assertEqual(add(1, 2), 3)\n"
		'\t\tself.assertTrue(frappe.db.exists("User", "Administrator"))\n'
	),
}


class TestAppTestsGate(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.site = peer_site()
		sites = Path(get_bench_path()) / "sites"
		config = frappe.get_site_config(sites_path=str(sites), site_path=str(sites / cls.site))
		if not config.get("allow_tests"):
			# --parse reads a Python literal: "True", not "true"
			done = bench("set-config", "allow_tests", "True", "--parse", site=cls.site)
			assert done.returncode == 0, done.stderr

	def setUp(self):
		self.repo = Path(tempfile.mkdtemp(prefix="frappe_stack_app_repo_"))
		for path, text in BASE.items():
			self.write(path, text)
		git(self.repo, "init", "-q")
		git(self.repo, "add", "-A")
		git(self.repo, "commit", "-q", "-m", "base")

	def tearDown(self):
		shutil.rmtree(self.repo, ignore_errors=True)

	def write(self, path: str | Path, text: str) -> None:
		(self.repo / path).parent.mkdir(parents=True, exist_ok=True)
		(self.repo / path).write_text(text, encoding="utf-8")

	def append(self, path: str | Path, text: str) -> None:
		self.write(path, (self.repo / path).read_text(encoding="utf-8") + text)

	def gate(self):
		bench_path = Path(get_bench_path())
		return run_app_tests(self.repo, "HEAD", APPS, bench_path, self.site, sys.executable, 80)

	def test_covered_new_code_passes_with_its_numbers(self):
		# lines 5, 7 and 8 are statements; 3, 4 (blank) and 6 (comment) are not
		self.append(
			PACKAGE / "calc.py",
			"\n\ndef mul(a, b):\n\t# the product, for shapes\n\tresult = a * b\n\treturn result\n",
		)
		# an untracked module counts in full: 3 statements
		self.write(
			PACKAGE / "shapes.py", "from sample_app.calc import mul\n\n\ndef square(x):\n\treturn mul(x, x)\n"
		)
		self.append(
			PACKAGE / "tests" / "test_calc.py",
			"\n\tdef test_mul(self):\n\t\tfrom sample_app.calc import mul\n\n\t\tself.assertEqual(mul(2, 3), 6)\n",
		)
		self.write(
			PACKAGE / "tests" / "test_shapes.py",
			"import unittest\n\nfrom sample_app.shapes import square\n\n\n"
			"class TestShapes(unittest.TestCase):\n\tdef test_square(self):\n\t\tself.assertEqual(square(3), 9)\n",
		)
		check = self.gate()
		self.assertEqual(check.result, "pass", check.detail)
		self.assertEqual(check.detail, "sample_app: 6/6 changed lines covered (100% ≥ 80%), 3 tests passed")
		numbers = check.data["apps"]["sample_app"]
		self.assertEqual(
			(numbers["changed_lines"], numbers["covered_lines"], numbers["uncovered"]), (6, 6, {})
		)
		self.assertEqual(numbers["tests"]["ran"], 3)

	def test_untested_new_code_fails_listing_its_lines(self):
		self.append(
			PACKAGE / "calc.py",
			'\n\ndef div(a, b):\n\tif not b:\n\t\traise ZeroDivisionError("b must not be 0")\n\treturn a / b\n',
		)
		check = self.gate()
		self.assertEqual(check.result, "fail", check.detail)
		# the def line runs on import; the body (lines 6-8) never runs
		self.assertEqual(
			check.detail,
			"sample_app: 1/4 changed lines covered (25% < 80%), 1 test passed; "
			"uncovered: sample_app/calc.py:6-8; add tests that run them",
		)
		self.assertEqual(check.data["apps"]["sample_app"]["uncovered"], {"sample_app/calc.py": [6, 7, 8]})

	def test_a_failing_test_fails_naming_it(self):
		test_file = PACKAGE / "tests" / "test_calc.py"
		self.write(test_file, (self.repo / test_file).read_text().replace("add(1, 2), 3", "add(1, 2), 4"))
		check = self.gate()
		self.assertEqual(check.result, "fail", check.detail)
		self.assertIn("1 of 1 tests failed (sample_app.tests.test_calc.TestCalc.test_add)", check.detail)
		self.assertEqual(
			check.data["apps"]["sample_app"]["tests"]["failed"],
			["sample_app.tests.test_calc.TestCalc.test_add"],
		)

	def test_a_change_outside_the_app_runs_nothing(self):
		self.write(
			"blueprints/roles.json", '{\n "blueprint": "roles",\n "description": "x",\n "documents": []\n}\n'
		)
		self.write("README.md", "A config repo.\n")
		self.assertIsNone(self.gate())


def git(root: Path, *args: str) -> None:
	identity = ["-c", "user.name=frappe_stack tests", "-c", "user.email=tests@example.com"]
	subprocess.run(["git", "-C", str(root), *identity, *args], check=True, capture_output=True)
