"""The target's backup, taken now and proved usable before anything is promoted: the file is
there and not empty, the gzip stream is intact to its last byte (its CRC is checked), and the dump
creates the site's core tables plus the tables of the DocTypes the change touches."""

import gzip
import hashlib
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from frappe_stack.checks.result import FAIL, PASS, CheckResult

# Without these a restore gives no working site, whatever else the dump holds.
CORE_TABLES = (
	"tabDocType",
	"tabDocField",
	"tabDocPerm",
	"tabUser",
	"tabHas Role",
	"tabRole",
	"tabSingles",
	"tabDefaultValue",
	"tabModule Def",
	"tabInstalled Application",
)
CHUNK = 1 << 20


@dataclass
class BackupRecord:
	site: str
	label: str
	path: str = ""
	size: int = 0
	sha256: str = ""
	taken_at: str = ""
	tables: list[str] = field(default_factory=list)  # the tables the dump was checked for
	problems: list[str] = field(default_factory=list)

	@property
	def verified(self) -> bool:
		return bool(self.path) and not self.problems

	def as_dict(self) -> dict:
		return {
			"site": self.site,
			"label": self.label,
			"path": self.path,
			"size": self.size,
			"sha256": self.sha256,
			"taken_at": self.taken_at,
			"tables": self.tables,
			"problems": self.problems,
			"verified": self.verified,
		}

	@classmethod
	def from_dict(cls, data: dict) -> "BackupRecord":
		known = cls.__dataclass_fields__
		return cls(**{k: v for k, v in data.items() if k in known})  # a newer site may send more


def verify_dump(record: BackupRecord, tables: list[str]) -> BackupRecord:
	"""Fill in size, sha256 and problems of the dump at `record.path`, reading it once."""
	record.tables = sorted(set(CORE_TABLES) | set(tables))
	path = Path(record.path)
	if not path.is_file():
		record.problems = [f"{path} does not exist"]
		return record
	record.size = path.stat().st_size
	if record.size == 0:
		record.problems = [f"{path} is empty"]
		return record
	wanted = {f"CREATE TABLE `{table}`".encode(): table for table in record.tables}
	longest = max(len(marker) for marker in wanted)
	digest, found, tail = hashlib.sha256(), set(), b""
	try:
		with path.open("rb") as raw:
			with gzip.GzipFile(fileobj=_Hashing(raw, digest)) as dump:
				while chunk := dump.read(CHUNK):
					window = tail + chunk
					found |= {table for marker, table in wanted.items() if marker in window}
					tail = window[-longest:]
	except (OSError, EOFError, zlib.error) as e:
		record.problems = [f"{path.name} is not an intact gzip file ({e})"]
		return record
	record.sha256 = digest.hexdigest()
	missing = sorted(set(record.tables) - found)
	if missing:
		record.problems = [f"the dump creates no table {', '.join(missing)}"]
	return record


class _Hashing:
	"""Hashes the compressed bytes as gzip reads them, so the file is read only once."""

	def __init__(self, raw, digest):
		self.raw, self.digest = raw, digest

	def read(self, size=-1):
		data = self.raw.read(size)
		self.digest.update(data)
		return data


def backup_check(record: BackupRecord) -> CheckResult:
	if not record.verified:
		problems = "; ".join(record.problems) or "no backup file was produced"
		return CheckResult(
			"backup",
			FAIL,
			f"{record.site}: backup not usable: {problems}; fix the target's backups before promoting",
			record.as_dict(),
		)
	megabytes = record.size / 1_000_000
	return CheckResult(
		"backup",
		PASS,
		f"{record.site}: {Path(record.path).name} ({megabytes:.1f} MB, sha256 {record.sha256[:12]}), gzip intact, "
		f"{len(record.tables)} tables present",
		record.as_dict(),
	)
