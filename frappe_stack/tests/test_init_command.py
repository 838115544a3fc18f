"""`bench frappe-stack init`, run as a user runs it: the files written and the steps left, a refusal
to overwrite without --force, and no guessing where the repo goes (bench runs in its sites folder)."""

import json
import shutil
import tempfile
from pathlib import Path

from frappe.tests.utils import FrappeTestCase

from frappe_stack.tests.utils import bench


class TestInitCommand(FrappeTestCase):
	def setUp(self):
		self.root = Path(tempfile.mkdtemp(prefix="frappe_stack_init_")) / "config"

	def tearDown(self):
		shutil.rmtree(self.root.parent, ignore_errors=True)

	def test_writes_the_files_then_refuses_to_overwrite_them(self):
		done = bench("frappe-stack", "init", "--path", str(self.root), "--json")
		self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
		report = json.loads(done.stdout)
		self.assertEqual(
			report["files"],
			[
				"frappe-stack.toml",
				".github/workflows/frappe-stack-review.yml",
				".github/workflows/frappe-stack-deploy.yml",
			],
		)
		self.assertIn("FRAPPE_STACK_SSH_KEY", report["settings"]["secrets"])
		self.assertTrue(all((self.root / file).is_file() for file in report["files"]))

		(self.root / "frappe-stack.toml").write_text("# mine\n")
		again = bench("frappe-stack", "init", "--path", str(self.root))
		self.assertEqual(again.returncode, 1)
		self.assertIn("frappe-stack.toml, .github/workflows/frappe-stack-review.yml", again.stderr)
		self.assertIn("fix: pass --force to overwrite", again.stderr)
		self.assertEqual((self.root / "frappe-stack.toml").read_text(), "# mine\n")

		forced = bench("frappe-stack", "init", "--path", str(self.root), "--force")
		self.assertEqual(forced.returncode, 0, forced.stdout + forced.stderr)
		self.assertTrue(forced.stdout.startswith(f"Wrote 3 file(s) in {self.root}:\n"))
		self.assertIn("Next steps:\n  1. make it a git repository: git init -b main", forced.stdout)
		self.assertIn("[github]", (self.root / "frappe-stack.toml").read_text())

	def test_without_a_path_it_asks_for_one(self):
		done = bench("frappe-stack", "init")
		self.assertEqual(done.returncode, 1)
		self.assertEqual(
			done.stderr.strip().splitlines()[-1],
			"Error: say where the config repo goes: --path DIR (bench runs in its sites folder)",
		)
