#!/usr/bin/env bash
# Stand-in for "java" when run.sh starts edge-nfsd (JAVA=.../java-with-ops.sh it/kernel-client/run.sh ...),
# for the ops_* workloads (issue 16): the server gets its exports from a file (run.sh's --export lines plus
# the ops exports: cap with capacity=64Mi, chg and gone), an admin socket in the run's log directory,
# and a host-side watcher that answers the guest's /job/ctl/ops.N requests (reload-add NAME OPTS,
# reload-change NAME OPTS, reload-remove NAME, reload-bad, status-json) by editing that file and running
# 'edge-nfsd reload' / 'edge-nfsd status -o json'; answers go to /job/ctl/ops-reply.N ("ok ..." or "fail ...").
# Any other java invocation passes through unchanged.
set -uo pipefail
REAL_JAVA=${OPS_REAL_JAVA:-java}
args=("$@")
jar='' state='' exports=() rest=()
i=0
while ((i < ${#args[@]})); do
  a=${args[i]}
  case "$a" in
    -jar) jar=${args[i+1]}; rest+=("$a" "$jar"); i=$((i + 2)); continue ;;
    --state-dir) state=${args[i+1]}; rest+=("$a" "$state"); i=$((i + 2)); continue ;;
    --export) exports+=("${args[i+1]}"); i=$((i + 2)); continue ;;
  esac
  rest+=("$a"); i=$((i + 1))
done
if [[ -z $state || ${#exports[@]} -eq 0 ]]; then exec "$REAL_JAVA" "$@"; fi
LOGDIR=$(dirname "$state")
first=${exports[0]%% *}
BASE=$(dirname "$first")
FILE=$LOGDIR/ops.exports
SOCK=$LOGDIR/admin.sock
if [[ ! -f $FILE ]]; then
  mkdir -p "$BASE/cap" "$BASE/chg" "$BASE/gone"
  chmod 777 "$BASE/cap" "$BASE/chg" "$BASE/gone"
  { printf '%s\n' "${exports[@]}"
    echo "$BASE/cap *(rw,sync,no_root_squash,insecure,capacity=64Mi)"
    echo "$BASE/chg *(rw,sync,no_root_squash,insecure)"
    echo "$BASE/gone *(rw,sync,no_root_squash,insecure)"; } >"$FILE"
fi

watcher() {
  local req n action name opts out
  while kill -0 "$PPID_RUN" 2>/dev/null; do
    for req in "$LOGDIR"/boot*/ctl/ops.*; do
      [[ -f $req && $req != *.tmp ]] || continue
      n=${req##*.}
      read -r action name opts <"$req"
      rm -f "$req"
      case "$action" in
        reload-add) mkdir -p "$BASE/$name"; chmod 777 "$BASE/$name"
          echo "$BASE/$name *($opts)" >>"$FILE" ;;
        reload-change) sed -i "s|^$BASE/$name .*|$BASE/$name *($opts)|" "$FILE" ;;
        reload-remove) sed -i "\\|^$BASE/$name |d" "$FILE" ;;
        reload-bad) cp "$FILE" "$FILE.good"; echo "$BASE/rw *(rw,no_such_option)" >>"$FILE" ;;
        status-json) ;;
        *) echo "fail unknown action $action" >"$(dirname "$req")/ops-reply.$n"; continue ;;
      esac
      if [[ $action == status-json ]]; then
        if "$REAL_JAVA" -jar "$jar" status -o json --admin-socket "$SOCK" >"$(dirname "$req")/ops-status.$n" 2>&1; then
          out="ok status in ops-status.$n"; else out="fail status: $(tail -c 300 "$(dirname "$req")/ops-status.$n")"; fi
      else
        out=$("$REAL_JAVA" -jar "$jar" reload --admin-socket "$SOCK" 2>&1); rc=$?
        out="$( ((rc == 0)) && echo ok || echo "refused rc=$rc") $(tr '\n' ' ' <<<"$out")"
        if [[ $action == reload-bad ]]; then mv "$FILE.good" "$FILE"; fi
      fi
      echo "$out" >"$(dirname "$req")/ops-reply.$n.tmp" && mv "$(dirname "$req")/ops-reply.$n.tmp" "$(dirname "$req")/ops-reply.$n"
    done
    sleep 0.2
  done
}
PPID_RUN=$PPID
if [[ ! -f $LOGDIR/ops-watcher.pid ]] || ! kill -0 "$(cat "$LOGDIR/ops-watcher.pid")" 2>/dev/null; then
  watcher >>"$LOGDIR/ops-watcher.log" 2>&1 &
  echo $! >"$LOGDIR/ops-watcher.pid"
fi
exec "$REAL_JAVA" "${rest[@]}" --exports "$FILE" --admin-socket "$SOCK"
