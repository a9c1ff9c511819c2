#!/usr/bin/env bash
# The GitHub Action's step (action.yml): install blueprint, lint, keep the exit code for
# after the SARIF upload. Inputs come as INPUT_* variables; tests run it locally with
# BLUEPRINT_ACTION_SKIP_INSTALL=1 and the package already on PATH.
set -euo pipefail
action_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ "${BLUEPRINT_ACTION_SKIP_INSTALL:-0}" != 1 ]; then
  python -m pip install --quiet --disable-pip-version-check "$action_root"
fi
if [ "${INPUT_RENDER:-false}" = true ] && ! command -v dot >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo apt-get install -y -qq graphviz >/dev/null
fi

read -r -a paths <<< "${INPUT_PATHS:-.}"
read -r -a extra <<< "${INPUT_ARGS:-}"
report=()
if [ "${INPUT_SARIF:-false}" = true ]; then
  report=(--format sarif --output-file "${INPUT_SARIF_FILE:-blueprint.sarif}")
fi

set +e
blueprint lint "${report[@]}" "${extra[@]}" "${paths[@]}"
code=$?
set -e
echo "exit-code=$code" >> "${GITHUB_OUTPUT:-/dev/null}"
if [ "${INPUT_SARIF:-false}" = true ]; then
  echo "sarif-file=${INPUT_SARIF_FILE:-blueprint.sarif}" >> "${GITHUB_OUTPUT:-/dev/null}"
fi
# exit 2 (usage, I/O) stops here; findings (1) fail the job after the SARIF upload
[ "$code" -ne 2 ] || exit 2
