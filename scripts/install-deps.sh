#!/usr/bin/env bash
# Installs every build and test dependency of arcflow from Debian 12 packages.
# Idempotent: packages already present are not reinstalled, and apt-get runs only
# when something is missing.
set -euo pipefail

packages=(
  build-essential cmake make pkg-config git
  clang clang-format libclang-rt-14-dev
  libsimdjson-dev libyaml-cpp-dev
  libzstd-dev libsnappy-dev liblz4-dev zlib1g-dev libbrotli-dev libdeflate-dev
  libpg-query-dev librdkafka-dev
  libcli11-dev libfmt-dev libspdlog-dev libxxhash-dev libre2-dev
  libhowardhinnant-date-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
