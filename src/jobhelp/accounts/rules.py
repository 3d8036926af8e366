"""Permissions of the staff area as a whole, from accounts.tenancy."""

import rules

from jobhelp.accounts.tenancy import works_for_an_organization

# The door of the staff pages (staff decorator, from roles already read) and of the API.
rules.add_perm("accounts.enter_staff_area", rules.predicate(works_for_an_organization))
