"""Classes in the staff area, a module for each part: the list of one's classes and their
sessions (list), creating and editing a class (edit) and its flyer (flyer), scheduling sessions
(schedule), a session's page with its roster, changing or cancelling the session (sessions),
registering callers and the waitlist (roster), attendance, the printable sign-in sheet and the
attendance CSV (attendance). What several of them need to find is in lookups.

The rules live in workshops.catalog, workshops.sessions, workshops.domain (registering) and
workshops.attendance, which check workshops.rules themselves; these views read through
workshops.queries (another organization's class or session is a 404), turn forms into calls and
WorkshopError into messages. Flyers are the one exception to the scoping: any partner's staff
may open a class's flyer, since the partnership shares its materials for branches to print.
"""
