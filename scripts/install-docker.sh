#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine. Where none does (Debian/Ubuntu), installs
# Debian's docker.io, debootstrap (for kubelab's offline node base) and curl, and starts dockerd in the
# background. The PID of a dockerd started here is written to /run/kubelab-dockerd.pid so that
# whoever started it (e.g. .ci/run) can stop exactly that process.
set -euo pipefail

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
PIDFILE=/run/kubelab-dockerd.pid

need_apt=()
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || need_apt+=(debootstrap)
# curl: the Quick start asks the sample app through its host URL.
command -v curl >/dev/null 2>&1 || need_apt+=(curl ca-certificates)
if ! docker info >/dev/null 2>&1; then
  command -v dockerd >/dev/null 2>&1 || need_apt+=(docker.io)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-docker: this is not a Debian-like system; install Docker and debootstrap yourself" >&2
    exit 1
  fi
  echo "install-docker: installing ${need_apt[*]} from Debian's packages"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if docker info >/dev/null 2>&1; then
  echo "install-docker: a Docker engine answers"
  exit 0
fi

# A dockerd that exits at once (e.g. its containerd did not start in time because an engine that
# was just stopped still holds its files) is started again, up to three times.
for attempt in 1 2 3; do
  echo "install-docker: starting dockerd (log: /var/log/kubelab-dockerd.log)"
  $SUDO sh -c "nohup dockerd >/var/log/kubelab-dockerd.log 2>&1 & echo \$! > $PIDFILE"
  for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then
      echo "install-docker: dockerd is up (pid $(cat $PIDFILE))"
      exit 0
    fi
    kill -0 "$(cat $PIDFILE)" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$(cat $PIDFILE)" 2>/dev/null; then break; fi
  echo "install-docker: dockerd exited (attempt $attempt); its log:" >&2
  tail -n 5 /var/log/kubelab-dockerd.log >&2 || true
  sleep 3
done
echo "install-docker: dockerd did not come up; its log:" >&2
tail -n 30 /var/log/kubelab-dockerd.log >&2 || true
exit 1
