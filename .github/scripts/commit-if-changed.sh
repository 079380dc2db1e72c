#!/usr/bin/env bash
# Commit the given paths as the Actions bot and push them to the checked-out branch, only when they changed.
# Writes sha=<the commit to build> to $GITHUB_OUTPUT either way.
#   usage: commit-if-changed.sh MESSAGE PATH...     (needs GITHUB_TOKEN with contents: write, and GITHUB_REF_NAME)
# Checkout keeps no credentials (persist-credentials: false); the token is handed to these git commands alone.
set -euo pipefail
message=$1
shift
branch=${GITHUB_REF_NAME:?GITHUB_REF_NAME is not set}
export GIT_AUTHOR_NAME="github-actions[bot]" GIT_COMMITTER_NAME="github-actions[bot]"
export GIT_AUTHOR_EMAIL="41898282+github-actions[bot]@users.noreply.github.com"
export GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"

git add --all -- "$@"
# fetch stamps its report with fetched_at on every run; a change to that line alone is not worth a commit.
if git diff --cached --quiet -I '"fetched_at"'; then
  echo "no change in $* beyond fetched_at; nothing to commit"
else
  git commit --quiet --message "$message"
  auth="AUTHORIZATION: basic $(printf 'x-access-token:%s' "${GITHUB_TOKEN:?}" | base64 | tr -d '\n')"
  # main may have moved while the job ran; the paths are the bot's alone, so a rebase never conflicts.
  for attempt in 1 2 3; do
    if git -c http.extraheader="$auth" push --quiet origin "HEAD:refs/heads/$branch"; then
      break
    fi
    if [ "$attempt" = 3 ]; then
      echo "::error title=push failed::could not push $* to $branch"
      exit 1
    fi
    git -c http.extraheader="$auth" pull --quiet --rebase origin "$branch"
  done
  echo "committed and pushed $(git rev-parse --short HEAD): $message"
fi
echo "sha=$(git rev-parse HEAD)" >> "${GITHUB_OUTPUT:-/dev/null}"
