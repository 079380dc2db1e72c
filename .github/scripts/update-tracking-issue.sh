#!/usr/bin/env bash
# Keep one tracking issue for link health: find it by its label (open or closed), create it if there is none,
# otherwise replace its body; reopen it when links are broken and close it when none are.
#   usage: update-tracking-issue.sh BODY_FILE REPORT_JSON      (needs GH_TOKEN with issues: write)
set -euo pipefail
body=$1
report=$2
label=link-health
title="リンクの確認 / Link health"

broken=$(jq '.counts.dead + .counts.error + .counts.slow' "$report")
gh label create "$label" --color D93F0B --description "brigadehub linkcheck のまとめ / link health" --force >/dev/null
number=$(gh issue list --label "$label" --state all --limit 1 --json number --jq '.[0].number // empty')

if [ -z "$number" ]; then
  gh issue create --title "$title" --label "$label" --body-file "$body"
  exit 0
fi
gh issue edit "$number" --body-file "$body" >/dev/null
state=$(gh issue view "$number" --json state --jq .state)
if [ "$broken" -gt 0 ] && [ "$state" = CLOSED ]; then
  gh issue reopen "$number"
elif [ "$broken" -eq 0 ] && [ "$state" = OPEN ]; then
  gh issue close "$number" --comment "すべてのリンクが応答しました。 / Every link answered."
fi
echo "updated issue #$number ($broken broken links)"
