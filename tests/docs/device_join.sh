# Sourced before each block of the guides (test_doc_commands.py): a device a
# guide starts joins a class the harness started for it (its pairing code is
# in $DOCS_DEVICE_SESSIONS with the session and the pedisimctl to reach it).
# Once the class lists the device, the class is stopped, and the device must
# then exit 0 as it does when a class ends; pedisim-monitor stays on the
# room's screen after a class, so it is then sent SIGTERM, as when the
# room's PC shuts down, and must exit 0 too. (The harness gives SDL its dummy
# video and audio drivers: no screen here.) A headless monitor with --frames
# ends by itself and runs as it is.

docs_join() {
  local program=$1 code="" frames="" previous="" argument
  shift
  for argument in "$@"; do
    [ "$previous" = --pairing-code ] && code=$argument
    [ "$argument" = --frames ] && frames=yes
    previous=$argument
  done
  local line=""
  [ -n "$code" ] && line=$(grep "^$code " "$DOCS_DEVICE_SESSIONS" || true)
  if [ -n "$frames" ] || [ -z "$line" ]; then
    command "$program" "$@"
    return
  fi
  local session ctl
  session=$(cut -d' ' -f2 <<<"$line")
  ctl=$(cut -d' ' -f3- <<<"$line")
  local output
  output=$(mktemp)
  command "$program" "$@" >"$output" 2>&1 &
  local pid=$! joined=""
  while kill -0 "$pid" 2>/dev/null; do
    if eval "$ctl --json session show $session" | grep -q '"devices"'; then
      joined=yes
      break
    fi
    sleep 0.2
  done
  if [ -z "$joined" ]; then
    wait "$pid" || true
    echo "$program never joined session $session:" >&2
    cat "$output" >&2
    return 1
  fi
  eval "$ctl session stop $session" >/dev/null
  if [ "$program" = pedisim-monitor ]; then
    # A second on the ended class, as a room's screen shows it, then off.
    sleep 1
    kill -TERM "$pid" 2>/dev/null || true
  fi
  local code_of_exit=0
  wait "$pid" || code_of_exit=$?
  cat "$output"
  if [ "$code_of_exit" -ne 0 ]; then
    echo "$program exited $code_of_exit when its class ended" >&2
  fi
  return "$code_of_exit"
}

pedisim-device() { docs_join pedisim-device "$@"; }
pedisim-monitor() { docs_join pedisim-monitor "$@"; }
