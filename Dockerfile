# syntax=docker/dockerfile:1
# meshmush in a container: a multi-stage build (the Rust toolchain only in the build
# stage), a slim Debian runtime, a non-root user (uid 10001), the store on /data.
#
#   docker build -t meshmush .
#   docker run -d --name meshmush-demo -p 127.0.0.1:4403-4405:4403-4405 meshmush
#
# With no command the image runs the demo: the software mesh and the daemon on it,
# handsets on ports 4404 and 4405 for `meshmush chat`. For a radio, give the node:
# `run --config /etc/meshmush.toml --data /data --port /dev/meshtastic`.
# docs/docker.md has both, and docker-compose.yml their profiles.

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
# BuildKit cache mounts keep the crates.io downloads and the compiled dependencies
# between builds, so a change to the source rebuilds only meshmush's own crates. The
# binary is copied out of the cached target directory in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target,sharing=locked \
    cargo build --release --locked -p meshmush \
 && install -m 0755 target/release/meshmush /usr/local/bin/meshmush

FROM debian:bookworm-slim
# The serial device belongs to the host's group for serial ports (dialout, gid 20 on
# Debian, Ubuntu and Raspberry Pi OS); compose adds that gid (MESHMUSH_DIALOUT_GID).
RUN groupadd --system --gid 10001 meshmush \
 && useradd --system --uid 10001 --gid meshmush --groups dialout \
      --home-dir /data --no-create-home meshmush \
 && mkdir -p /data && chown meshmush:meshmush /data && chmod 0700 /data
COPY --from=build /usr/local/bin/meshmush /usr/local/bin/meshmush
COPY deploy/meshmush.docker.toml /etc/meshmush.toml
USER meshmush
WORKDIR /data
VOLUME ["/data"]
# 9600: the status page and /metrics ([http] in /etc/meshmush.toml). 4403-4405: the
# demo's software mesh (gateway, two handsets). Publish them on the host's loopback.
EXPOSE 9600 4403 4404 4405
# RUST_LOG is left unset: the daemon logs at info, and `meshmush chat` (in `docker exec`)
# shows only the conversation. Set it to filter (`-e RUST_LOG=meshmush=debug`).
STOPSIGNAL SIGTERM
# `admin status` asks the daemon over its socket in /data and exits non-zero when no
# daemon answers. (podman keeps HEALTHCHECK only with `podman build --format docker`.)
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s --retries=3 \
  CMD ["meshmush", "admin", "--data", "/data", "status"]
ENTRYPOINT ["meshmush"]
# The demo. It must not fail with no arguments: the shipped config names no node, and
# `run` refuses such a file unless told to serve the software mesh (--sim).
CMD ["run", "--sim", "--listen", "0.0.0.0:4403", "--config", "/etc/meshmush.toml", "--data", "/data"]
