#!/usr/bin/env bash
# Commit the brigade file that `brigadehub from-issue` made on add-brigade/issue-N, push it, mark the commit as
# being checked, and open its pull request; or, when a maintainer asked for a rebuild, replace the branch and
# retitle the pull request already open. Without such a request it changes nothing once the bot has opened a
# pull request for the issue (open, closed or merged): the submitter cannot change what was reviewed.
#   usage: open-pull-request.sh ISSUE PATH FILE BODY_FILE
#   env:   GH_TOKEN and GITHUB_TOKEN (checkout keeps none), GH_REPO, ASKED (true: a maintainer asked),
#          BASE_BRANCH, STATUS_CONTEXT, RUN_URL
# Writes sha=<the pushed commit> to $GITHUB_OUTPUT when it pushed one.
set -euo pipefail
issue=$1
path=$2
file=$3
body=$4

# The branch and the path are made from nothing a submitter wrote that was not checked here first: the issue
# number is GitHub's, and the path must be one an id allows (the id rule of core/model.py).
if ! [[ $issue =~ ^[1-9][0-9]{0,9}$ ]]; then
  echo "::error title=Refused::not an issue number: ${issue@Q}"
  exit 1
fi
if ! [[ $path =~ ^brigades/[a-z0-9]+(-[a-z0-9]+)*\.yml$ ]] || git cat-file -e "HEAD:$path" 2>/dev/null; then
  echo "::error title=Refused::not a new brigade file: ${path@Q}"
  exit 1
fi
branch="add-brigade/issue-$issue"

prs=$(gh pr list --head "$branch" --author app/github-actions --state all --json number,state \
  --jq '.[] | "\(.number) \(.state)"')
if [ -n "$prs" ] && [ "${ASKED:-false}" != true ]; then
  echo "::notice title=Nothing changed::the bot's pull request for #$issue exists; an edit changes it only when a maintainer asks"
  exit 0
fi
open=$(awk '$2 == "OPEN" { print $1; exit }' <<< "$prs")

export GIT_AUTHOR_NAME="github-actions[bot]" GIT_COMMITTER_NAME="github-actions[bot]"
export GIT_AUTHOR_EMAIL="41898282+github-actions[bot]@users.noreply.github.com"
export GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
# The same subject as issueform.commit_message; it is also the pull request's title.
title="Add $path from issue #$issue"
git switch --quiet -C "$branch"
cp -- "$file" "$path"
git add -- "$path"
git commit --quiet --message "$title" -- "$path"
sha=$(git rev-parse HEAD)

auth="AUTHORIZATION: basic $(printf 'x-access-token:%s' "${GITHUB_TOKEN:?}" | base64 | tr -d '\n')"
# The branch is made afresh from the base each time, so a rebuild replaces what was pushed before.
git -c http.extraheader="$auth" push --quiet --force origin "HEAD:refs/heads/$branch"
echo "sha=$sha" >> "${GITHUB_OUTPUT:-/dev/null}"
gh api --method POST "repos/$GH_REPO/statuses/$sha" --silent -f state=pending -f context="$STATUS_CONTEXT" \
  -f description="The pull request checks are running" -f target_url="$RUN_URL"

if [ -n "$open" ]; then
  gh api --method PATCH "repos/$GH_REPO/pulls/$open" --silent -f title="$title" -f body="$(cat -- "$body")"
  echo "rebuilt pull request #$open from the issue"
else
  url=$(gh pr create --base "${BASE_BRANCH:-main}" --head "$branch" --title "$title" --body-file "$body")
  gh issue comment "$issue" --body "プルリクエストを作りました。確認をお待ちください: $url
この issue を編集しても、プルリクエストはもう変わりません。直すところがあれば、コメントで運営チームに知らせてください。

A pull request is open for review: $url
Editing this issue no longer changes it; if something needs fixing, say so in a comment and a maintainer will rebuild it."
  echo "opened $url"
fi
