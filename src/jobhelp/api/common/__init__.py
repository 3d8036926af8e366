"""What every area of the API may use: the token (auth), the shared shapes (schemas), errors
and their answers (errors), and finding a request (lookups). Nothing here imports an area; an
area imports nothing of another area but this."""
