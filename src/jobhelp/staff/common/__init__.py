"""What every staff area may use: the door to the staff pages (decorators), the menu
(context_processors), small helpers of views (views) and forms (forms). Nothing here imports
an area; an area imports nothing of another area but this."""
