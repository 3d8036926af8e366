"""What every public area may use. Nothing here imports an area; an area imports nothing of
another area but this."""
