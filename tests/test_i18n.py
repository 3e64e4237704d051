"""Chinese first, English complete: every user-facing string is in the catalogue and translated."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "kepu"
CATALOGUE = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES"


def entries(po: polib.POFile) -> set[str]:
    return {entry.msgid for entry in po if not entry.obsolete}


def test_chinese_catalogue_is_complete_and_compiled() -> None:
    po = polib.pofile(str(CATALOGUE / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"
    mo = polib.mofile(str(CATALOGUE / "django.mo"))
    compiled = {e.msgid: (e.msgstr, e.msgstr_plural) for e in mo}
    for entry in po:
        if entry.msgid_plural:
            assert compiled[entry.msgid][1] == {int(k): v for k, v in entry.msgstr_plural.items()}
        else:
            assert compiled.get(entry.msgid, ("",))[0] == entry.msgstr, (
                f"django.mo is stale for {entry.msgid!r}: run `make messages`"
            )


def test_placeholders_survive_translation() -> None:
    import re

    pattern = re.compile(r"%\(\w+\)s")
    for entry in polib.pofile(str(CATALOGUE / "django.po")):
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert set(pattern.findall(text)) == set(pattern.findall(entry.msgid)), entry.msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_every_marked_string_is_in_the_catalogue(tmp_path: Path) -> None:
    """Extract the messages from a scratch copy and compare: a new string fails this test."""
    copy = tmp_path / "kepu"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static", "__pycache__"))
    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings_makemessages",
        "PYTHONPATH": f"{root}{os.pathsep}{root / 'src'}",
    }
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "--locale",
            "zh_Hans",
            "--no-obsolete",
            "--no-location",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    extracted = entries(
        polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    )
    committed = entries(polib.pofile(str(CATALOGUE / "django.po")))
    assert extracted - committed == set(), "new strings: run `make messages` and translate them"
    assert committed - extracted == set(), "stale strings: run `make messages`"


def test_the_empty_choice_of_a_select_speaks_the_page_language() -> None:
    """Django's own "- Select an option -" has no Chinese; our label replaces it everywhere."""
    from django.utils import translation

    from kepu.stats.forms import ManualFigureForm

    with translation.override("zh-hans"):
        assert '<option value="" selected>— 请选择 —</option>' in str(ManualFigureForm()["key"])
    with translation.override("en"):
        assert '<option value="" selected>— Select —</option>' in str(ManualFigureForm()["key"])
