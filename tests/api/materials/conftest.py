"""The county of tests/staff/materials/conftest.py, shared rather than copied."""

from tests.staff.materials import conftest as county

elsewhere = county.elsewhere
flyer = county.flyer
lake = county.lake
lakeside = county.lakeside
media = county.media
north = county.north
north_desk = county.north_desk
northtown = county.northtown
office = county.office
sharing = county.sharing
theirs = county.theirs
this_month = county.this_month
