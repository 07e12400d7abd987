"""DRF pieces of the audit: list APIs that record what they show."""

from __future__ import annotations

from mosty.access.audit import audit_reads


class ReadAuditedListMixin:
    """A list API that records a read of every record on the page it returns (one insert).

    `read_audit_fields` names the fields of each record the response shows.
    """

    read_audit_fields: list[str] = []

    def read_audit_objects(self, records):
        """The personal records behind the listed ones (the records themselves by default)."""
        return records

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        records = page if page is not None else queryset
        audit_reads(
            self.request.user, self.read_audit_objects(records), fields=self.read_audit_fields
        )
        return page
