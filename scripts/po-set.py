"""Set translations in a .po file, clearing fuzzy flags: `po-set.py FILE 'msgid' 'msgstr' ...`.

For single-line msgids; `make messages` then keeps them. A helper for translators, not used at
run time.
"""

import re
import sys
from pathlib import Path


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def main() -> None:
    path = Path(sys.argv[1])
    text = path.read_text()
    pairs = sys.argv[2:]
    for msgid, msgstr in zip(pairs[::2], pairs[1::2], strict=True):
        block = re.compile(
            r'(?P<comments>(?:#[^\n]*\n)*)msgid "'
            + re.escape(_quote(msgid))
            + r'"\nmsgstr "[^\n]*"\n'
        )
        match = block.search(text)
        if not match:
            sys.exit(f"msgid not found: {msgid!r}")
        comments = [
            line
            for line in match["comments"].splitlines(keepends=True)
            if not line.startswith("#|")
        ]
        comments = [
            re.sub(r"^#, fuzzy, ", "#, ", line) if line.startswith("#, fuzzy, ") else line
            for line in comments
            if line.strip() != "#, fuzzy"
        ]
        replacement = "".join(comments) + f'msgid "{_quote(msgid)}"\nmsgstr "{_quote(msgstr)}"\n'
        text = text[: match.start()] + replacement + text[match.end() :]
    path.write_text(text)


if __name__ == "__main__":
    main()
