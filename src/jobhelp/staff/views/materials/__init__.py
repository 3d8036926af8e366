"""The materials library (flyers and marketing materials with each location's confirmations,
the liaison's grid of the month's flyers) and the shared reference titles (the combined list,
a partner's own titles, CSV import and export, suggestions with their order marks, the printable
list of a partner shelf). Every read through materials.queries, every change through one
function of materials.domain or materials.titles."""
