"""Fill translations into a .po file: `po-set.py FILE 'msgid' 'msgstr' ...` (single-line ids)."""

import sys
from pathlib import Path


def main() -> None:
    path = Path(sys.argv[1])
    text = path.read_text()
    pairs = sys.argv[2:]
    for msgid, msgstr in zip(pairs[::2], pairs[1::2], strict=True):
        escaped = msgid.replace('"', '\\"')
        old = f'msgid "{escaped}"\nmsgstr ""\n'
        if old not in text:
            sys.exit(f"not found untranslated: {msgid!r}")
        translated = msgstr.replace('"', '\\"')
        text = text.replace(old, f'msgid "{escaped}"\nmsgstr "{translated}"\n')
    path.write_text(text)


if __name__ == "__main__":
    main()
