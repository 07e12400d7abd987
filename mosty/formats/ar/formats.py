# Arabic: day-first and 24-hour, consistent between long and short forms (see mosty.formats).
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATE_FORMAT = "d\u200f/m\u200f/Y"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y H:i"
