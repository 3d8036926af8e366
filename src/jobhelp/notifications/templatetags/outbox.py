from django import template

from jobhelp.core.phones import display_phone
from jobhelp.notifications.enums import MessageChannel

register = template.Library()


@register.filter
def recipient(message) -> str:
    """Who a message (an outbox message or a patron's address) goes to, as people read it: a
    phone number for a text, the address for an email."""
    return display_phone(message.to) if message.channel == MessageChannel.SMS else message.to
