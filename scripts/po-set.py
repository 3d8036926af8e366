"""Set translations in a .po file and clear their fuzzy flags (a helper for translators):

    .venv/bin/python scripts/po-set.py FILE 'msgid' 'msgstr' ['msgid' 'msgstr' ...]

Handles msgids wrapped over several lines; plural entries are left to a .po editor.
"""

import re
import sys
from pathlib import Path

_QUOTED = re.compile(r'^"(.*)"$')


def _unquote(lines: list[str]) -> str:
    parts = [_QUOTED.match(line.strip())[1] for line in lines]
    return "".join(parts).replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _set(entry: str, msgstr: str) -> str:
    comments, msgid_lines, rest = [], [], []
    section = "comments"
    for line in entry.splitlines():
        if line.startswith("msgid "):
            section = "msgid"
            msgid_lines.append(line)
        elif line.startswith("msgstr"):
            section = "msgstr"
        elif section == "comments":
            if line.startswith("#|"):
                continue
            if line.startswith("#,"):
                flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
                if not flags:
                    continue
                line = "#, " + ", ".join(flags)
            comments.append(line)
        elif section == "msgid":
            msgid_lines.append(line)
        else:
            rest.append(line)
    return "\n".join([*comments, *msgid_lines, f'msgstr "{_quote(msgstr)}"'])


def main() -> None:
    path = Path(sys.argv[1])
    entries = path.read_text().split("\n\n")
    wanted = dict(zip(sys.argv[2::2], sys.argv[3::2], strict=True))
    found = set()
    for i, entry in enumerate(entries):
        lines = entry.splitlines()
        starts = [n for n, line in enumerate(lines) if line.startswith("msgid ")]
        if not starts or any(line.startswith("msgid_plural") for line in lines):
            continue
        start = starts[0]
        end = next(n for n, line in enumerate(lines) if line.startswith("msgstr"))
        msgid = _unquote([lines[start][len("msgid ") :], *lines[start + 1 : end]])
        if msgid in wanted:
            entries[i] = _set(entry, wanted[msgid])
            found.add(msgid)
    missing = set(wanted) - found
    if missing:
        sys.exit(f"not found: {sorted(missing)}")
    path.write_text("\n\n".join(entries))


if __name__ == "__main__":
    main()
