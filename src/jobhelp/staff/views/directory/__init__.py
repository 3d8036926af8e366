"""The directory from the staff side, by page: the organization's entries, a partner's entry
with its staff-only details, editing (services), the public computers and the one-click count
(computers), the resource assessment (assessments) and an HSDS import (imports).

The rules live in directory.domain, computers, assessment and hsds.importer, which check
directory.rules themselves; these views offer only what the person may do, turn forms into
calls and a DirectoryError into a message. Another organization's entry, location or
assessment is a 404 for editing.
"""
