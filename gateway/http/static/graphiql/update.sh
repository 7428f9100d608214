#!/usr/bin/env bash
# Re-vendors GraphiQL's and React's UMD builds from the npm registry (see README.md here).
set -euo pipefail
graphiql="${1:?usage: update.sh GRAPHIQL_VERSION REACT_VERSION}"
react="${2:?usage: update.sh GRAPHIQL_VERSION REACT_VERSION}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "graphiql@$graphiql" "react@$react" "react-dom@$react" >/dev/null
# Exact versions (e.g. 3.9.0 18.3.1): npm names each tarball NAME-VERSION.tgz.
for pair in "graphiql:$graphiql" "react:$react" "react-dom:$react"; do
  name="${pair%%:*}" version="${pair#*:}"
  mkdir "$name" && tar xzf "$name-$version.tgz" -C "$name"
  cp "$name/package/LICENSE" "$here/LICENSE.$name"
done
cp graphiql/package/graphiql.min.js graphiql/package/graphiql.min.css "$here/"
cp react/package/umd/react.production.min.js "$here/"
cp react-dom/package/umd/react-dom.production.min.js "$here/"
echo "vendored graphiql@$graphiql react@$react into $here"
