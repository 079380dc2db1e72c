#!/usr/bin/env bash
# Push the branch that `brigadehub from-issue --commit` made, then open its pull request, or update the one
# already open for this issue; tell the issue where it is.
#   usage: open-pull-request.sh ISSUE_NUMBER BODY_FILE      (needs GH_TOKEN and GITHUB_TOKEN; checkout keeps none)
set -euo pipefail
issue=$1
body=$2
branch=$(git branch --show-current)
base=${BASE_BRANCH:-main}
title=$(git log -1 --format=%s)
auth="AUTHORIZATION: basic $(printf 'x-access-token:%s' "${GITHUB_TOKEN:?}" | base64 | tr -d '\n')"

# The branch is made afresh from the base on every edit of the issue, so it replaces what was pushed before.
git -c http.extraheader="$auth" push --quiet --force origin "HEAD:refs/heads/$branch"
number=$(gh pr list --head "$branch" --state open --json number --jq '.[0].number // empty')
if [ -n "$number" ]; then
  gh pr edit "$number" --title "$title" --body-file "$body" >/dev/null
  echo "updated pull request #$number"
else
  url=$(gh pr create --base "$base" --head "$branch" --title "$title" --body-file "$body")
  gh issue comment "$issue" --body "プルリクエストを作りました。確認をお待ちください。 / A pull request is open for review: $url"
fi
