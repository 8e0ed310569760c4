"""{{ comment.body|comment_text:comment.mentions.all }}: a comment's plain text made safe to show.

Every piece of the user's text is escaped; the @handles of the users the comment mentions become badges
(the handle itself escaped too) and line breaks become <br>. Nothing of the text is ever marked safe as is."""
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from apps.collaboration.mentions import MENTION, mention_tokens

register = template.Library()


def _tokens(mentioned) -> set[str]:
    if not mentioned:
        return set()
    items = list(mentioned)
    if all(isinstance(item, str) for item in items):
        return {item.lower() for item in items}
    return mention_tokens(items)


@register.filter(name="comment_text")
def comment_text(value, mentioned=None):
    text = str(value or "")
    tokens = _tokens(mentioned)
    parts = []
    position = 0
    for match in MENTION.finditer(text):
        if match["handle"].lower() not in tokens:
            continue
        parts.append(escape(text[position:match.start()]))
        parts.append(f'<span class="badge rounded-pill text-bg-info collab-mention">{escape(match.group(0))}</span>')
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts).replace("\n", "<br>"))  # noqa: S308 - built from escaped pieces only
