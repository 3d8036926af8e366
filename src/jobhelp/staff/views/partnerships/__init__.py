"""The partnership hub in the staff area: the partnership and its partners, agreements (MOU)
with their parties, signatures, amendments and attachments, obligations and their
occurrences, meetings and action items, grants, the liaison's log and the quarterly report.

Every read goes through partnerships.queries and every change through one domain function,
which checks partnerships.rules itself. Someone who acts for no partner of any partnership
gets a 403 (this part of the site is not theirs); another partnership's or agreement's
object is a 404; a change the person may not make, or that the agreement's status refuses, is
explained in a message on the page it came from.
"""
