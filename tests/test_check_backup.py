"""The backup check: a dump proved usable (there, not empty, gzip intact to its CRC, creating the
core tables and the change's tables) on real gzip files."""

import gzip
import hashlib
import json

import pytest

from frappe_stack.checks.backup_verification import (
	CHUNK,
	CORE_TABLES,
	BackupRecord,
	backup_check,
	verify_dump,
)
from frappe_stack.checks.result import FAIL, PASS

SITE = "prod.example.com"


def create(table: str) -> bytes:
	return f"DROP TABLE IF EXISTS `{table}`;\nCREATE TABLE `{table}` (\n  `name` varchar(140)\n);\n".encode()


def dump_sql(tables=CORE_TABLES, extra: bytes = b"") -> bytes:
	return b"-- MariaDB dump\n" + b"".join(create(t) for t in tables) + extra


def write_dump(tmp_path, sql: bytes, name: str = "20240501_101112-prod-database.sql.gz", level: int = 6):
	path = tmp_path / name
	path.write_bytes(gzip.compress(sql, compresslevel=level))
	return path


def record_for(path) -> BackupRecord:
	return BackupRecord(SITE, "sprint-15", path=str(path), taken_at="2024-05-01 10:11:12")


def only_problem(record: BackupRecord) -> str:
	[problem] = record.problems
	return problem


# ---- a good dump ---------------------------------------------------------------------------------------


def test_a_good_dump_with_core_and_requested_tables_passes(tmp_path):
	path = write_dump(tmp_path, dump_sql([*CORE_TABLES, "tabBeneficiary"]))
	record = verify_dump(record_for(path), ["tabBeneficiary"])
	assert record.problems == []
	assert record.verified
	assert record.size == path.stat().st_size > 0
	assert record.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
	assert record.tables == sorted([*CORE_TABLES, "tabBeneficiary"])


def test_verify_dump_fills_the_record_it_was_given(tmp_path):
	path = write_dump(tmp_path, dump_sql())
	record = record_for(path)
	assert verify_dump(record, []) is record
	assert record.site == SITE and record.label == "sprint-15" and record.taken_at == "2024-05-01 10:11:12"


def test_the_sha256_covers_every_byte_of_a_large_incompressible_dump(tmp_path):
	filler = b"".join(hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(3 * CHUNK // 32))
	sql = dump_sql(extra=b"INSERT INTO `tabNote` VALUES ('" + filler.hex().encode() + b"');\n")
	path = write_dump(tmp_path, sql)
	assert path.stat().st_size > CHUNK
	record = verify_dump(record_for(path), [])
	assert record.verified, record.problems
	assert record.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_requested_tables_are_deduplicated_with_the_core_ones(tmp_path):
	path = write_dump(tmp_path, dump_sql())
	record = verify_dump(record_for(path), ["tabUser", "tabRole", "tabUser"])
	assert record.verified
	assert record.tables == sorted(CORE_TABLES)


# ---- dumps that would not restore -------------------------------------------------------------------


def test_a_missing_file(tmp_path):
	path = tmp_path / "nothing.sql.gz"
	record = verify_dump(record_for(path), [])
	assert not record.verified
	assert only_problem(record) == f"{path} does not exist"
	assert record.sha256 == ""


def test_a_directory_is_not_a_dump(tmp_path):
	record = verify_dump(record_for(tmp_path), [])
	assert only_problem(record) == f"{tmp_path} does not exist"


def test_an_empty_file(tmp_path):
	path = tmp_path / "empty.sql.gz"
	path.write_bytes(b"")
	record = verify_dump(record_for(path), [])
	assert not record.verified
	assert only_problem(record) == f"{path} is empty"
	assert record.size == 0


def test_a_truncated_gzip(tmp_path):
	path = write_dump(tmp_path, dump_sql(extra=b"-- " + b"x" * 5000 + b"\n"))
	data = path.read_bytes()
	path.write_bytes(data[: len(data) // 2])
	record = verify_dump(record_for(path), [])
	assert not record.verified
	assert only_problem(record).startswith(f"{path.name} is not an intact gzip file (")
	assert record.sha256 == ""


def test_a_dump_cut_just_before_its_trailer(tmp_path):
	path = write_dump(tmp_path, dump_sql())
	path.write_bytes(path.read_bytes()[:-4])
	record = verify_dump(record_for(path), [])
	assert "is not an intact gzip file" in only_problem(record)


def test_a_flipped_data_byte_fails_the_crc(tmp_path):
	"""Stored (level 0) blocks keep the data byte for byte, so only the CRC can notice the flip."""
	sql = dump_sql()
	path = write_dump(tmp_path, sql, level=0)
	data = bytearray(path.read_bytes())
	at = data.index(b"MariaDB")
	data[at] ^= 0x01
	path.write_bytes(bytes(data))
	record = verify_dump(record_for(path), [])
	assert not record.verified
	problem = only_problem(record)
	assert problem.startswith(f"{path.name} is not an intact gzip file (")
	assert "CRC" in problem


def test_a_flipped_crc_byte_fails(tmp_path):
	path = write_dump(tmp_path, dump_sql())
	data = bytearray(path.read_bytes())
	data[-8] ^= 0xFF  # the trailer: CRC32, then the size
	path.write_bytes(bytes(data))
	assert "CRC" in only_problem(verify_dump(record_for(path), []))


def test_a_plain_sql_file_is_not_a_gzip(tmp_path):
	path = tmp_path / "dump.sql.gz"
	path.write_bytes(dump_sql())
	record = verify_dump(record_for(path), [])
	assert only_problem(record).startswith("dump.sql.gz is not an intact gzip file (")


@pytest.mark.parametrize("table", CORE_TABLES)
def test_a_dump_lacking_a_core_table_names_it(tmp_path, table):
	path = write_dump(tmp_path, dump_sql([t for t in CORE_TABLES if t != table]))
	record = verify_dump(record_for(path), [])
	assert not record.verified
	assert only_problem(record) == f"the dump creates no table {table}"
	assert record.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_dump_lacking_requested_tables_names_them_sorted(tmp_path):
	path = write_dump(tmp_path, dump_sql([*CORE_TABLES, "tabBeneficiary"]))
	record = verify_dump(record_for(path), ["tabVillage", "tabBeneficiary", "tabGrant"])
	assert only_problem(record) == "the dump creates no table tabGrant, tabVillage"


def test_a_table_only_written_to_or_named_longer_is_not_created(tmp_path):
	extra = b"INSERT INTO `tabBeneficiary` VALUES ('x');\n" + create("tabBeneficiary Group")
	path = write_dump(tmp_path, dump_sql(extra=extra))
	record = verify_dump(record_for(path), ["tabBeneficiary"])
	assert only_problem(record) == "the dump creates no table tabBeneficiary"


def test_a_dump_without_tabuser_but_with_tabuser_settings_lacks_tabuser(tmp_path):
	tables = [t if t != "tabUser" else "tabUser Settings" for t in CORE_TABLES]
	path = write_dump(tmp_path, dump_sql(tables))
	assert only_problem(verify_dump(record_for(path), [])) == "the dump creates no table tabUser"


@pytest.mark.parametrize("split", [1, 9, 20])
def test_a_marker_split_across_the_read_boundary_is_found(tmp_path, split):
	"""The dump is read CHUNK bytes at a time; `split` bytes of the marker fall in the first read."""
	marker = b"CREATE TABLE `tabBeneficiary`"
	head = dump_sql()
	pad = CHUNK - len(head) - split
	sql = head + b"-" * (pad - 1) + b"\n" + marker + b" (\n  `name` varchar(140)\n);\n" + b"-- end\n" * 100
	assert len(sql) > CHUNK
	assert sql.index(marker) == CHUNK - split
	assert marker not in sql[:CHUNK] and marker not in sql[CHUNK:]
	path = write_dump(tmp_path, sql)
	record = verify_dump(record_for(path), ["tabBeneficiary"])
	assert record.problems == []
	assert record.verified


def test_markers_far_apart_in_a_dump_of_several_chunks_are_all_found(tmp_path):
	filler = b"-- padding\n" * (CHUNK // 11 + 1)
	sql = b"".join(create(t) + filler for t in [*CORE_TABLES, "tabBeneficiary"])
	assert len(sql) > 10 * CHUNK
	path = write_dump(tmp_path, sql)
	assert verify_dump(record_for(path), ["tabBeneficiary"]).verified


# ---- backup_check ---------------------------------------------------------------------------------------


def test_backup_check_passes_a_verified_record_with_size_hash_and_tables(tmp_path):
	path = write_dump(tmp_path, dump_sql([*CORE_TABLES, "tabBeneficiary"]))
	record = verify_dump(record_for(path), ["tabBeneficiary"])
	result = backup_check(record)
	assert result.check == "backup"
	assert result.result == PASS
	megabytes = f"{record.size / 1_000_000:.1f}"
	assert result.detail == (
		f"{SITE}: {path.name} ({megabytes} MB, sha256 {record.sha256[:12]}), gzip intact, "
		f"{len(CORE_TABLES) + 1} tables present"
	)
	assert result.data == record.as_dict()


def test_backup_check_shows_megabytes_with_one_decimal():
	record = BackupRecord(SITE, "l", path="/b/x.sql.gz", size=2_345_678, sha256="ab" * 32, tables=["t"])
	detail = backup_check(record).detail
	assert "(2.3 MB, sha256 abababababab)" in detail
	assert detail.endswith("1 tables present")


def test_backup_check_fails_with_the_problems_and_what_to_do(tmp_path):
	path = write_dump(tmp_path, dump_sql(CORE_TABLES[1:]))
	record = verify_dump(record_for(path), [])
	result = backup_check(record)
	assert result.result == FAIL
	assert result.detail == (
		f"{SITE}: backup not usable: the dump creates no table {CORE_TABLES[0]}; "
		"fix the target's backups before promoting"
	)
	assert result.data["verified"] is False
	assert result.data["problems"] == record.problems


def test_backup_check_fails_when_no_file_was_produced():
	result = backup_check(BackupRecord(SITE, "sprint-15"))
	assert result.result == FAIL
	assert "backup not usable: no backup file was produced" in result.detail


def test_several_problems_are_joined_in_one_line():
	record = BackupRecord(SITE, "l", path="/x", problems=["first thing", "second thing"])
	result = backup_check(record)
	assert result.result == FAIL
	assert "backup not usable: first thing; second thing; fix" in result.detail
	assert "\n" not in result.detail


# ---- BackupRecord ---------------------------------------------------------------------------------------


def test_a_record_is_verified_only_with_a_path_and_no_problems():
	assert BackupRecord(SITE, "l", path="/b/x.sql.gz").verified
	assert not BackupRecord(SITE, "l").verified
	assert not BackupRecord(SITE, "l", path="/b/x.sql.gz", problems=["bad"]).verified


def test_as_dict_from_dict_round_trip_through_json(tmp_path):
	path = write_dump(tmp_path, dump_sql([*CORE_TABLES, "tabBeneficiary"]))
	record = verify_dump(record_for(path), ["tabBeneficiary"])
	data = json.loads(json.dumps(record.as_dict()))
	assert data["verified"] is True
	assert set(data) == {
		"site",
		"label",
		"path",
		"size",
		"sha256",
		"taken_at",
		"tables",
		"problems",
		"verified",
	}
	assert BackupRecord.from_dict(data) == record


def test_from_dict_works_out_verified_itself():
	data = BackupRecord(
		SITE, "l", path="/b/x.sql.gz", problems=["the dump creates no table tabUser"]
	).as_dict()
	data["verified"] = True
	back = BackupRecord.from_dict(data)
	assert back.problems == ["the dump creates no table tabUser"]
	assert not back.verified
	assert BackupRecord.from_dict(BackupRecord(SITE, "l").as_dict()) == BackupRecord(SITE, "l")
