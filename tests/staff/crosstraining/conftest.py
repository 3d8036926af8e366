"""The pages' tests act in the same small county as the domain's (tests/crosstraining/conftest.py):
the workforce center's liaison trains the library's front desk; the library lends temporary cards
to the center's staff."""

from tests.crosstraining import conftest as domain

center_location = domain.center_location
desk = domain.desk
library_liaison = domain.library_liaison
