"""Helpers shared by test_config_environments and test_config_settings (split from one test file).

frappe-stack.toml: named environments, and the one-line errors when the file is not right."""

from pathlib import Path

from frappe_stack.config import CONFIG_FILE


def write(root: Path, text: str) -> Path:
	file = root / CONFIG_FILE
	file.write_text(text, encoding="utf-8")
	return file
