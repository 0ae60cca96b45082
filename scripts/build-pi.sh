#!/usr/bin/env bash
# Cross-compiles the meshmush release binary for a 64-bit Raspberry Pi (aarch64 Linux)
# with Debian's gcc-aarch64-linux-gnu as the linker. Installs what it needs when it can.
# Output: target/aarch64-unknown-linux-gnu/release/meshmush
set -euo pipefail
cd "$(dirname "$0")/.."

target=aarch64-unknown-linux-gnu
if ! command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq gcc-aarch64-linux-gnu >/dev/null
  else
    echo "need aarch64-linux-gnu-gcc: sudo apt-get install gcc-aarch64-linux-gnu" >&2
    exit 1
  fi
fi
if ! rustup target list --installed | grep -qx "$target"; then
  rustup target add "$target"
fi
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
cargo build --release --locked --target "$target" -p meshmush
bin="target/$target/release/meshmush"
echo "built $bin ($(du -h "$bin" | cut -f1))"
