#!/usr/bin/env bash
# The GitHub Action's step (action.yml): install blueprint, lint, keep the exit code for
# after the SARIF upload. Inputs come as INPUT_* variables; tests run it locally with
# BLUEPRINT_ACTION_SKIP_INSTALL=1 and the package already on PATH. Every output written
# to $GITHUB_OUTPUT here is declared in action.yml (a test keeps them equal).
set -euo pipefail
action_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ "${BLUEPRINT_ACTION_SKIP_INSTALL:-0}" != 1 ]; then
  python -m pip install --quiet --disable-pip-version-check "$action_root"
fi
if [ "${INPUT_RENDER:-false}" = true ] && ! command -v dot >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo apt-get install -y -qq graphviz >/dev/null
fi

# paths: one per line when the input has several lines (a path may hold spaces), else
# separated by spaces (as before). A glob is expanded here, with ** for any depth; one
# that matches nothing is passed on, for blueprint to report as missing.
words=()
input="${INPUT_PATHS:-.}"
if [[ "$input" == *$'\n'* ]]; then
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%$'\r'}"
    line="${line#"${line%%[![:space:]]*}"}"   # trim leading space
    line="${line%"${line##*[![:space:]]}"}"   # and trailing
    [ -z "$line" ] || [[ "$line" == "#"* ]] || words+=("$line")
  done <<< "$input"
else
  read -r -a words <<< "$input"
fi
[ "${#words[@]}" -gt 0 ] || words=(.)

expand() {  # the files a glob matches (none: nullglob), spaces and all
  local IFS=  # no word splitting of the pattern; pathname expansion still happens
  # shellcheck disable=SC2206  # the unquoted pattern is the point
  matches=($1)
}
shopt -s nullglob; shopt -s globstar 2>/dev/null || true  # bash 4+: ** at any depth
paths=()
for word in "${words[@]}"; do
  matches=()
  if [[ "$word" == *[\*\?\[]* ]]; then expand "$word"; fi
  if [ "${#matches[@]}" -gt 0 ]; then paths+=("${matches[@]}"); else paths+=("$word"); fi
done
shopt -u nullglob globstar 2>/dev/null || true

# args: words separated by spaces or lines
extra=()
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -d '' -a extra <<< "$INPUT_ARGS" || true
fi
report=()
sarif_file=""
if [ "${INPUT_SARIF:-false}" = true ]; then
  sarif_file="${INPUT_SARIF_FILE:-blueprint.sarif}"
  report=(--format sarif --output-file "$sarif_file")
fi

set +e
blueprint lint "${report[@]}" "${extra[@]}" -- "${paths[@]}"
code=$?
set -e
{
  echo "exit-code=$code"
  echo "sarif-file=$sarif_file"
} >> "${GITHUB_OUTPUT:-/dev/null}"

# a pull request (a base ref known): the semantic diff of each changed blueprint against
# the base, as markdown in the job summary. It never fails the job: the lint does that.
if [ -n "${BASE_REF:-}" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  base="origin/$BASE_REF"
  if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
    git fetch --quiet --no-tags --depth=1 origin "$BASE_REF:refs/remotes/$base" 2>/dev/null || true
  fi
  if git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
    while IFS= read -r -d '' file; do
      [ -f "$file" ] && grep -q '^blueprint:' "$file" || continue
      blueprint diff --git "$base" "$file" --format markdown >> "$GITHUB_STEP_SUMMARY" || true
      echo >> "$GITHUB_STEP_SUMMARY"
    done < <(git diff -z --name-only --diff-filter=AMR "$base" HEAD -- '*.yaml' '*.yml')
  else
    echo "blueprint: warning: $base not found: no diff in the job summary" >&2
  fi
fi
# exit 2 (usage, I/O) stops here; findings (1) fail the job after the SARIF upload
[ "$code" -ne 2 ] || exit 2
