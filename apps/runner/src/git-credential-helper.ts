/**
 * A git credential helper (gitcredentials(7)) that answers `get` from environment variables:
 * AMBIENT_GIT_CREDENTIAL_<n>_SCOPE / _USERNAME / _PASSWORD, n = 0, 1, … (first match wins).
 * A scope is `protocol://host[:port]` (any path on that host) or `protocol://host[:port]/path`
 * (that repository, with or without `.git`). The script holds no secret, and git runs it as
 * `sh <file> get`, so no token is ever in a process's argv; `printf` is a shell builtin, so the
 * token is not in argv even while it is written to git. `store` and `erase` are ignored: nothing
 * is ever written to disk.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const CREDENTIAL_VARIABLE_PREFIX = 'AMBIENT_GIT_CREDENTIAL_';

export const CREDENTIAL_HELPER_SCRIPT = `#!/bin/sh
# Ambient git credential helper: answers "get" from ${CREDENTIAL_VARIABLE_PREFIX}<n>_* variables.
[ "$1" = get ] || exit 0
protocol= host= path=
while IFS= read -r line && [ -n "$line" ]; do
  case $line in
    protocol=*) protocol=\${line#protocol=} ;;
    host=*) host=\${line#host=} ;;
    path=*) path=\${line#path=} ;;
  esac
done
path=\${path%/}
path=\${path%.git}
origin="$protocol://$host"
full="$origin/$path"
index=0
while :; do
  eval "scope=\\\${${CREDENTIAL_VARIABLE_PREFIX}\${index}_SCOPE-}"
  [ -n "$scope" ] || exit 0
  scope=\${scope%/}
  scope=\${scope%.git}
  matched=
  if [ "$scope" = "$origin" ] || [ "$scope" = "$full" ]; then matched=1; fi
  case $full in "$scope"/*) matched=1 ;; esac
  if [ -n "$matched" ]; then
    eval "username=\\\${${CREDENTIAL_VARIABLE_PREFIX}\${index}_USERNAME-}"
    eval "password=\\\${${CREDENTIAL_VARIABLE_PREFIX}\${index}_PASSWORD-}"
    printf 'username=%s\\npassword=%s\\n' "$username" "$password"
    exit 0
  fi
  index=$((index + 1))
done
`;

/** Written on every start (it holds no secret), so an older workspace always gets the current one. */
export function writeCredentialHelper(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, CREDENTIAL_HELPER_SCRIPT, { mode: 0o700 });
  chmodSync(path, 0o700);
}
