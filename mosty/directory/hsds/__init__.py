"""Open Referral HSDS 3.0: read, validate, import and export the service directory.

The working form is *tables*: HSDS table name (the CSV file's stem, `services`,
`service_at_location` …) -> rows with HSDS 3.0 field names.

- `spec`      the tables and fields, read from Open Referral's vendored `datapackage.json`;
- `parse`     every JSON form (objects, lists, pages, tabular) and the CSV package -> tables;
- `validate`  row errors naming file, row and field, before anything is written;
- `importer`  tables -> the directory, matched by source, all or nothing, with a preview;
- `export`    the directory -> tables (Mosty's columns completed from `HsdsRecord`);
- `package`   tables -> nested JSON objects, the JSON package and the CSV data package.
"""

from mosty.directory.hsds.export import export_tables, mosty_tables, organisation_hsds_ids
from mosty.directory.hsds.importer import hsds_import
from mosty.directory.hsds.package import (
    datapackage_descriptor,
    nest,
    organization_objects,
    service_at_location_objects,
    service_objects,
    to_datapackage,
    to_json,
)
from mosty.directory.hsds.parse import flatten, from_datapackage, parse_upload
from mosty.directory.hsds.spec import HSDS_VERSION, TABLES
from mosty.directory.hsds.validate import HsdsImportError, ImportReport, RowError, validate

__all__ = [
    "HSDS_VERSION",
    "TABLES",
    "HsdsImportError",
    "ImportReport",
    "RowError",
    "datapackage_descriptor",
    "export_tables",
    "flatten",
    "from_datapackage",
    "hsds_import",
    "mosty_tables",
    "nest",
    "organisation_hsds_ids",
    "organization_objects",
    "parse_upload",
    "service_at_location_objects",
    "service_objects",
    "to_datapackage",
    "to_json",
    "validate",
]
