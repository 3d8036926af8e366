"""Files attached to a record (the tables on core.models.AttachedFile: a training's materials,
an agreement's PDFs): the mechanics every app shares. Each app's domain function decides who may
add or remove a file (its rules.py, through accounts.tenancy), names its audit action and turns
a refusal into its own error; these two helpers check, store, record, audit and remove.

Nothing here sees a request. The upload's size limit as the body arrives and the download are
the staff interface's (staff.common.uploads); the checks by content are core.files'.
"""

import logging
from collections.abc import Callable

from django.db import transaction

from jobhelp.core import audit, files
from jobhelp.core.models import AttachedFile

logger = logging.getLogger(__name__)


def add_file[Row: AttachedFile](
    row: Row,
    *,
    by,
    upload,
    validate: Callable[..., files.FileKind],
    action: str,
    organization,
    obj,
    audit_key: str,
    name: str | None = None,
    check: Callable[[Row], None] | None = None,
) -> Row:
    """Store `upload` as the file of `row` (an unsaved row with its record and title set) and
    save it. The name (`name`, or the upload's own) is kept only as a cleaned label and refused
    if it holds a path; `validate` (core.files.validate_pdf or validate_evidence) checks the size
    and the content; `check`, if given, checks the filled-in row before anything is stored.
    Raises django.core.exceptions.ValidationError (or what `check` raises) with nothing written
    and no file left in storage.

    Side effects: the file written under a fresh random name in the row's folder; audit `action`
    on `obj` for `organization` (data: `audit_key` → the row's id, the kind and size, never the
    name).
    """
    shown = files.display_name(name if name is not None else upload.name)
    kind = validate(upload)
    row.display_name = shown
    row.size = upload.size
    row.sha256 = files.sha256_of(upload)
    row.uploaded_by = by
    if check is not None:
        check(row)
    storage = row.file.storage
    stored = ""
    try:
        with transaction.atomic():
            row.file.save(files.stored_name(kind), upload, save=False)
            stored = row.file.name
            row.save()
            audit.record(
                action,
                actor=by,
                organization=organization,
                obj=obj,
                data={audit_key: row.pk, "kind": kind.extension, "bytes": upload.size},
            )
    except Exception:
        if stored:
            try:
                storage.delete(stored)
            except Exception:
                # The first error is the one to report; the file left behind is logged.
                logger.exception("Could not delete %s after a failed attachment", stored)
        raise
    return row


def remove_file(row: AttachedFile, *, by, action: str, organization, obj, audit_key: str) -> bool:
    """Delete `row`, and its stored file once the transaction commits (a rollback keeps both).
    Returns False, with nothing done and nothing audited, when the row is already gone (two
    people removing the same file at once: the second delete waits for the first and finds
    nothing). A storage that fails to delete the file after the commit is logged, not raised:
    the removal has happened.

    Side effects: the row deleted; the file deleted on commit; audit `action` on `obj` for
    `organization` (data: `audit_key` → the row's id).
    """
    stored = row.file.name
    storage = row.file.storage
    pk = row.pk
    with transaction.atomic():
        deleted, _counts = type(row).objects.filter(pk=pk).delete()
        if not deleted:
            return False
        audit.record(action, actor=by, organization=organization, obj=obj, data={audit_key: pk})
        transaction.on_commit(lambda: storage.delete(stored), robust=True)
    return True
