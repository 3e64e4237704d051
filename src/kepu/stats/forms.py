from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.programs.models import Exhibition
from kepu.programs.services.registry import EXHIBITION_FIELDS
from kepu.stats.models import Honour, ManualFigure
from kepu.stats.reports.sections import SECTIONS
from kepu.stats.services import HONOUR_FIELDS, MANUAL_FIELDS

FORMATS = (("pdf", "PDF"), ("docx", "Word (DOCX)"), ("xlsx", "Excel (XLSX)"), ("json", "JSON"))
LANGUAGES = (("zh-hans", "中文"), ("en", "English"))


class DateInput(forms.DateInput):
    input_type = "date"


class ManualFigureForm(forms.ModelForm[ManualFigure]):
    class Meta:
        model = ManualFigure
        fields = MANUAL_FIELDS
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class HonourForm(forms.ModelForm[Honour]):
    class Meta:
        model = Honour
        fields = HONOUR_FIELDS
        widgets = {"awarded_on": DateInput()}


class ExhibitionForm(forms.ModelForm[Exhibition]):
    def __init__(self, *args: Any, venue: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hall"].queryset = venue.halls.all()  # type: ignore[attr-defined]

    class Meta:
        model = Exhibition
        fields = EXHIBITION_FIELDS
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class ReportTextsForm(forms.Form):
    """One Chinese and one English text area per narrative section of the report."""

    def __init__(self, *args: Any, report: str, texts: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = SECTIONS[report]
        for section in self.sections:
            current = texts.get(section.key)
            self.fields[section.key] = forms.CharField(
                label=str(section.label),
                required=False,
                help_text=str(section.hint or ""),
                initial=current.text if current else (section.default or ""),
                widget=forms.Textarea(attrs={"rows": 4}),
                max_length=20_000,
            )
            self.fields[f"{section.key}__en"] = forms.CharField(
                label=_("%(section)s (English)") % {"section": section.label},
                required=False,
                initial=current.text_en if current else "",
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=20_000,
            )

    def texts(self) -> dict[str, tuple[str, str]]:
        return {
            section.key: (self.cleaned_data[section.key], self.cleaned_data[f"{section.key}__en"])
            for section in self.sections
        }


class DownloadForm(forms.Form):
    format = forms.ChoiceField(label=_("format"), choices=FORMATS, initial="pdf")
    lang = forms.ChoiceField(label=_("language"), choices=LANGUAGES, initial="zh-hans")
