"""Date and time formats where Django's defaults misread in a Polish city (FORMAT_MODULE_PATH).

Only the names set here change; everything else comes from Django's locale formats.
- ar: Django has no SHORT_DATETIME_FORMAT (it fell back to month-first "m/d/Y") and writes
  times in 12-hour form in one place and "g:i A" in another ("1 ص – 3:00 ص"): day-first dates
  and 24-hour times like every other language here.
- en: English speakers in Poland read day-first dates and 24-hour times.
- pl: short dates with dots ("10.12.2026"), as Polish writes them.
"""
