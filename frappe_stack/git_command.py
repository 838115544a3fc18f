"""Every git command frappe_stack runs goes through here: an argument list (never a shell), a
timeout, no terminal prompt, and on failure one StackError naming the repo, the command, git's own
words and the fix.

A caller asking git a question whose "no" is an answer (is this a checkout? does this ref exist?)
says so with check=False and gets None; nothing else is swallowed. Remote URLs can carry credentials
(`https://user:token@host/...`); they are cut out of every message."""

import os
import re
import subprocess
from pathlib import Path

from frappe_stack.errors import StackError

LOCAL_TIMEOUT = 30
NETWORK_TIMEOUT = 120  # fetch and push, which wait on a remote
CREDENTIALS = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]+@")


class GitMissing(StackError):
	"""git is not installed (or not on PATH)."""


def scrub(text: str) -> str:
	"""`text` without the user and password of any URL in it."""
	return CREDENTIALS.sub(r"\1", text)


def failure(repo: Path, what: str, fix: str, stderr: str = "") -> StackError:
	"""One line: the repo, what failed, git's own words and the fix, credentials cut out."""
	# git's hints repeat generic advice; the fix says what to do here
	said = [line.strip() for line in stderr.splitlines() if line.strip() and not line.startswith("hint:")]
	detail = f": {'; '.join(said)}" if said else ""
	return StackError(scrub(f"{repo}: {what}{detail}; fix: {fix}"))


def run(repo: Path, *args: str, timeout: float = LOCAL_TIMEOUT) -> subprocess.CompletedProcess:
	"""`git -C repo args` whatever its exit code, for callers that tell git's exit codes apart.
	GitMissing when git cannot be run, a StackError when it does not finish in `timeout` seconds."""
	# git must never wait for a password on the terminal: it would hang until the timeout
	env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
	try:
		return subprocess.run(
			["git", "-C", str(repo), *args],
			capture_output=True,
			text=True,
			timeout=timeout,
			check=False,
			env=env,
		)
	except OSError:
		raise GitMissing(f"{repo}: cannot run git {args[0]}; fix: install git and put it on PATH") from None
	except subprocess.TimeoutExpired:
		raise failure(
			repo,
			f"git {args[0]} did not finish in {timeout:g}s",
			"check that the remote answers (git remote -v) and no other git command holds the repo, then run again",
		) from None


def git(
	repo: Path,
	*args: str,
	what: str | None = None,
	fix: str | None = None,
	timeout: float = LOCAL_TIMEOUT,
	check: bool = True,
) -> str | None:
	"""stdout of `git -C repo args`. When git exits non-zero: a StackError saying `what` failed (by
	default the git command) and the `fix`. With check=False: None instead, and None when git is not
	installed (then nothing is a checkout); a timeout is an error either way."""
	try:
		done = run(repo, *args, timeout=timeout)
	except GitMissing:
		if check:
			raise
		return None
	if done.returncode == 0:
		return done.stdout
	if not check:
		return None
	command = f"git {args[0]}"
	raise failure(
		repo, what or f"{command} failed", fix or f"run {command} there by hand to see why", done.stderr
	)
