"""The one error materials' domain functions raise for bad input or a refused change."""


class MaterialError(Exception):
    """Bad input or a refused change; the message is shown to the person acting. `field`
    names the input it is about (a form shows it there), when there is one."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field = field
