"""`bench ARGS` as its own process, as an operator would run it: in a process group of its own, so
that a timeout kills what it started too (mysqldump, gzip, a restore's mysql client), and with an
empty input, so that no prompt can wait."""

import os
import signal
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

from frappe.utils import get_bench_path


def start_bench(args: list[str], own_group: bool = True) -> subprocess.Popen:
	"""`bench ARGS` started, its output (stdout and stderr) in one text pipe; `own_group`: in a
	process group of its own, so that killing it kills what it started."""
	return subprocess.Popen(
		[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", *args],
		stdin=subprocess.DEVNULL,
		cwd=Path(get_bench_path()) / "sites",
		stdout=subprocess.PIPE,
		stderr=subprocess.STDOUT,
		text=True,
		start_new_session=own_group,
	)


def run_bench(args: list[str], timeout: float) -> tuple[int | None, str]:
	"""(exit code, stdout and stderr); the code is None when `timeout` seconds passed and the
	process group was killed."""
	process = start_bench(args)
	try:
		output, _ = process.communicate(timeout=timeout)
	except subprocess.TimeoutExpired:
		with suppress(ProcessLookupError):  # it ended on its own meanwhile
			os.killpg(process.pid, signal.SIGKILL)
		output, _ = process.communicate()
		return None, output or ""
	return process.returncode, output or ""
