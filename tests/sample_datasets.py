"""Small dataset folders written for the tests of reading and archiving."""

from __future__ import annotations

from pathlib import Path

SUBJECT_HEADER = (
    "id,kind,credit_code,name,region,registered,products,legal_person,phone"
)
FARM = "92320803MA3AGYGL5L"
COOP = "93320826MAUY3W7W2W"
SUBJECT_ROWS = [
    f"{FARM},family_farm,{FARM},淮安区绿源家庭农场,淮安区,2018-05-01,vegetables,张三,13800000000",
    f"{COOP},cooperative,{COOP},涟水县果蔬专业合作社,涟水县,2016-03-15,fruit,李四,13900000000",
]
RECORD_HEADER = "id,subject,type,date,result,hazard,disputed,retest,article,severity,band,intentional,fulfilled"
RECORD_ROWS = [
    f"I-1,{FARM},inspection,2024-03-01,ok,,,,,,,,",
    f"S-1,{FARM},sampling_test,2024-05-10,fail,pesticide_residue,false,not_requested,,,,,",
    f"P-1,{COOP},penalty,2024-07-01,,,,,第七十一条,general,art71,false,true",
]


def write(folder: Path, name: str, lines: list[str], *, bom: bool = False) -> Path:
    """Write a UTF-8 text file of `lines`, each ended by a newline."""
    folder.mkdir(parents=True, exist_ok=True)
    text = ("\ufeff" if bom else "") + "".join(f"{line}\n" for line in lines)
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def good_dataset(folder: Path, records: list[str] | None = None) -> Path:
    """A dataset of two subjects and, by default, three good records."""
    write(folder, "subjects.csv", [SUBJECT_HEADER, *SUBJECT_ROWS])
    write(
        folder,
        "records.csv",
        [RECORD_HEADER, *(RECORD_ROWS if records is None else records)],
    )
    return folder
