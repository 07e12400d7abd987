# Polish: short dates with dots, one space before the time (see mosty.formats).
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
