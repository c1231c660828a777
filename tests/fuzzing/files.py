"""Damaged import files: each starts from a valid units, catalogue or calendar file and is cut, repeated,
re-delimited, re-encoded or has bytes flipped."""

from __future__ import annotations

import random
from pathlib import Path

from tests.fuzzing.inputs import FIELD_SAMPLES, NASTY_TEXT

IMPORT_SEEDS = {
    "units": (
        "单位编码,单位名称,上级单位编码,别名\nWF,潍坊市人民政府,,市政府\n"
        "KW-SPJ,奎文区行政审批服务局,WF,奎文区审批局\n"
    ),
    "catalogue": (
        "事项编码,事项名称,实施主体,证照证明名称,免提交方式,依据,备注\n"
        "370700-BDC-001,不动产登记,潍坊市不动产登记中心,居民户口簿,电子证照关联,第四条,\n"
    ),
    "calendar": "2027-01-01,holiday\n2027-01-04,workday\n",
}


def mutated_file(rng: random.Random, seed: str) -> bytes:
    """A file that starts from a valid import and is damaged: bytes flipped, cut, repeated, re-encoded."""
    text = seed
    for _ in range(rng.randrange(1, 4)):
        choice = rng.randrange(8)
        if choice == 0:
            position = rng.randrange(len(text) + 1)
            text = text[:position] + rng.choice(NASTY_TEXT + FIELD_SAMPLES) + text[position:]
        elif choice == 1:
            text = text[: rng.randrange(len(text) + 1)]
        elif choice == 2:
            text = text * rng.randrange(2, 4)
        elif choice == 3:
            text = text.replace(",", rng.choice([";", "\t", ",,", ""]))
        elif choice == 4:
            text = text.replace("\n", rng.choice(["\r\n", "\r", "\n\n", ""]))
        elif choice == 5:
            text = "\ufeff" + text
        elif choice == 6:
            lines = text.splitlines()
            rng.shuffle(lines)
            text = "\n".join(lines)
        else:
            text += ",".join(rng.choice(FIELD_SAMPLES) for _ in range(rng.randrange(1, 9))) + "\n"
    encoding = rng.choice(["utf-8", "utf-8", "gb18030", "utf-16"])
    data = text.encode(encoding, errors="replace")
    if rng.random() < 0.2:
        data = bytes(byte ^ 0xFF if rng.random() < 0.02 else byte for byte in data)
    return data


def file_suffix(rng: random.Random) -> str:
    return rng.choice([".csv", ".csv", ".txt", ".xlsx"])


def write_case(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path
