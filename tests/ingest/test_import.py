"""Import of each format and encoding, and bad input that must leave the store unchanged."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shomar.cli import app
from shomar.errors import InputError
from shomar.ingest import load_mapping, read_source
from tests.conftest import run_cli

FA_HEADER = "شناسه,نام,نام خانوادگی,نام پدر,سن,جنسیت,تاریخ جان‌باختن,استان,شهر\n"
FA_ROWS = "۱,محمدرضا,حسینی,علی,۲۳,مرد,۱۴۰۱/۰۷/۰۸,سیستان و بلوچستان,زاهدان\n۲,زهرا,رضایی,,,زن,مهر ۱۴۰۱,تهران,\n"


def _ws(tmp_path: Path) -> str:
    ws = str(tmp_path / "ws")
    assert CliRunner().invoke(app, ["init", ws]).exit_code == 0
    return ws


def _import(ws: str, path: Path, *extra: str):
    return run_cli(["import", str(path), "--source", "s", "-w", ws, *extra])


def _dump(ws: str) -> list[tuple]:
    with sqlite3.connect(Path(ws) / "shomar.db") as conn:
        return [(t, conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall())
                for t in ("sources", "import_batches", "records", "audit_log")]


def test_persian_csv_with_jalali_dates_and_persian_digits(tmp_path: Path) -> None:
    path = tmp_path / "fa.csv"
    path.write_text(FA_HEADER + FA_ROWS, encoding="utf-8")
    result = read_source(path, source="fa")
    first, second = result.records
    assert (first.record_id, first.age, first.sex, first.father_name) == ("1", 23, "m", "علی")
    # 8 Mehr 1401 is 30 September 2022 (the Zahedan killings).
    assert (first.date_start, first.date_precision, first.province_code) == ("2022-09-30", "day", "IR-11")
    # A month-only date covers the whole Jalali month, never day 1.
    assert (second.date_start, second.date_end, second.date_precision) == ("2022-09-23", "2022-10-22", "month")
    assert result.calendar_used == "jalali" and any("calendar auto" in n for n in result.notes)


def test_utf8_bom_is_read_like_plain_utf8(tmp_path: Path) -> None:
    plain, bom = tmp_path / "a.csv", tmp_path / "b.csv"
    plain.write_text(FA_HEADER + FA_ROWS, encoding="utf-8")
    bom.write_text(FA_HEADER + FA_ROWS, encoding="utf-8-sig")
    assert read_source(bom, source="x").column_map == read_source(plain, source="x").column_map


def test_cp1256_with_arabic_letters_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    # Windows-1256 has no Persian ی: such exports write Arabic ي (and often ك).
    path.write_bytes("شناسه,نام و نام خانوادگي,تاريخ\n7,علي كريمي,2022-11-16\n".encode("cp1256"))
    result = read_source(path, source="legacy")
    assert result.encoding == "cp1256" and result.records[0].full_name == "علي كريمي"
    assert result.records[0].raw["نام و نام خانوادگي"] == "علي كريمي"  # kept verbatim


def test_xlsx(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "first_name", "last_name", "age", "date_of_death", "province"])
    sheet.append([1, "Mohammad", "Hosseini", 23, "2022-09-30", "Sistan-Baluchistan"])
    path = tmp_path / "en.xlsx"
    book.save(path)
    record = read_source(path, source="en").records[0]
    assert (record.full_name, record.age, record.date_start, record.province_code) == (
        "Mohammad Hosseini", 23, "2022-09-30", "IR-11")


def test_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    lines = [{"id": "n1", "name": "Zahra Rezaei", "date": "Sept 30, 2022", "place": "Zahedan, Sistan and Baluchestan"},
             {"id": "n2", "name": "مهسا امینی", "age": 22, "date": "16 September 2022"}]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    first, second = read_source(path, source="news").records
    assert first.province_code == "IR-11" and first.date_start == "2022-09-30"
    assert second.age == 22 and second.date_start == "2022-09-16"


def test_mapping_file_maps_unusual_headers(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes("کد قرباني,اسم کوچک,روز\n1,علي,1401/06/25\n".encode("cp1256"))
    mapping = tmp_path / "odd.toml"
    mapping.write_text('[source]\nencoding = "cp1256"\ncalendar = "jalali"\n[columns]\n'
                       '"کد قربانی" = "record_id"\n"اسم کوچک" = "given_name"\n"روز" = "date"\n',
                       encoding="utf-8")
    record = read_source(path, source="x", mapping=load_mapping(mapping)).records[0]
    assert (record.given_name, record.date_start) == ("علي", "2022-09-16")


def test_reimport_is_recognised_by_hash(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    path = tmp_path / "fa.csv"
    path.write_text(FA_HEADER + FA_ROWS, encoding="utf-8")
    assert _import(ws, path).exit_code == 0
    before = _dump(ws)
    again = _import(ws, path)
    assert again.exit_code == 0 and "already imported" in again.output
    assert _dump(ws) == before


BAD_INPUTS = {
    "wrong encoding declared": ("شناسه,نام\n1,علي\n".encode("cp1256"), '[source]\nencoding = "utf-8"\n', "UTF-8"),
    "missing mapped column": (b"id,name\n1,Ali\n", '[columns]\n"نام" = "given_name"\n', "نام"),
    "unparseable date": (b"id,name,date\n1,Ali,2022-09-30\n2,Reza,1401/13/45\n", None, ":3:date:"),
    "empty file": (b"", None, "empty file"),
    "bad age": (b"id,name,age\n1,Ali,old\n", None, ":2:age:"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_exits_2_with_location_and_leaves_store_unchanged(tmp_path: Path, case: str) -> None:
    data, mapping, expected = BAD_INPUTS[case]
    ws = _ws(tmp_path)
    good = tmp_path / "good.csv"
    good.write_text(FA_HEADER + FA_ROWS, encoding="utf-8")
    assert _import(ws, good).exit_code == 0
    before = _dump(ws)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(data)
    extra = []
    if mapping:
        (tmp_path / "bad.toml").write_text(mapping, encoding="utf-8")
        extra = ["--map", str(tmp_path / "bad.toml")]
    with pytest.raises(InputError, match=expected.replace("(", r"\(")):
        read_source(bad, source="s", mapping=load_mapping(tmp_path / "bad.toml") if mapping else None)
    result = _import(ws, bad, *extra)
    assert result.exit_code == 2, result.output
    assert _dump(ws) == before


def test_cli_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    ws = _ws(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,date\n1,Ali,not a date\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", "from shomar.cli import main; main()", "import",
                           str(bad), "--source", "s", "-w", ws], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and f"{bad}:2:date:" in proc.stderr.replace("\n", "")


def test_a_second_name_column_in_the_other_script_is_kept(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    path = tmp_path / "both.csv"
    path.write_text("id,name_farsi,name_latin,date_of_death\n1,مهسا امینی,Mahsa (Jina) Amini,2022-09-16\n",
                    encoding="utf-8")
    record = read_source(path, source="x").records[0]
    assert (record.full_name, record.other_name) == ("مهسا امینی", "Mahsa (Jina) Amini")
    assert _import(ws, path).exit_code == 0
    from shomar.storage import open_workspace

    stored = open_workspace(ws).store.records_frame()
    assert stored["other_name"].tolist() == ["Mahsa (Jina) Amini"]
