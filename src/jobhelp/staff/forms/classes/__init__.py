"""Input of the staff class pages: a class, its sessions, a caller's registration and the
attendance export's dates. Input validation only, with choices limited to what the person may
name; whether a seat is free, a session may still change, or attendance may be taken is the
workshops domain's decision (workshops.catalog, workshops.sessions, workshops.domain,
workshops.attendance)."""
