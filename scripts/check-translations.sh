#!/usr/bin/env bash
# Spanish ships complete: no untranslated or fuzzy entries, and the committed .mo matches its .po.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v msgfmt >/dev/null || { echo "gettext (msgfmt) is needed: apt-get install gettext" >&2; exit 1; }
status=0
# Extract the strings again in a scratch copy, so a string added without a translation shows up
# as untranslated below without touching the work tree.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -r src "$scratch/src"
(cd "$scratch/src/jobhelp" && DJANGO_SETTINGS_MODULE=jobhelp.settings PYTHONPATH="$scratch/src" \
  "$OLDPWD/.venv/bin/python" -m django makemessages -l es --no-obsolete --no-location \
  --ignore=demo -v 0)
for po in "$scratch"/src/jobhelp/locale/*/LC_MESSAGES/django.po; do
  [[ -e "$po" ]] || { echo "no translation catalogues found" >&2; exit 1; }
  untranslated=$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' || true)
  # msgattrib prints the header entry too when there is anything to print.
  (( untranslated > 0 )) && untranslated=$((untranslated - 1))
  (( fuzzy > 0 )) && fuzzy=$((fuzzy - 1))
  if (( untranslated || fuzzy )); then
    echo "${po#"$scratch"/}: $untranslated untranslated, $fuzzy fuzzy (run make messages and translate)" >&2
    status=1
  fi
  tmp=$(mktemp)
  msgfmt --check -o "$tmp" "$po"
  committed="src/jobhelp/locale/${po#"$scratch"/src/jobhelp/locale/}"
  if ! cmp -s "$tmp" "${committed%.po}.mo"; then
    echo "${committed%.po}.mo is out of date (run make messages)" >&2
    status=1
  fi
  rm -f "$tmp"
done
exit $status
