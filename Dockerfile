# meshmush in a container: a multi-stage build (the Rust toolchain only in the build
# stage), a slim Debian runtime, a non-root user, the store on a volume.
#
#   docker build -t meshmush .
#   # a node on USB serial:
#   docker run -d --name meshmush --device /dev/ttyUSB0 -v meshmush-data:/data \
#     -p 127.0.0.1:9600:9600 meshmush run --data /data --port /dev/ttyUSB0 --config /etc/meshmush.toml
#   # a node's TCP API (meshtasticd, a WiFi node):
#   docker run -d --name meshmush -v meshmush-data:/data -p 127.0.0.1:9600:9600 \
#     meshmush run --data /data --tcp 192.168.1.20 --config /etc/meshmush.toml
#   docker exec meshmush meshmush admin --data /data status
#
# See docker-compose.yml and the README's "Operating it".

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p meshmush \
 && install -m 0755 target/release/meshmush /usr/local/bin/meshmush

FROM debian:bookworm-slim
# The serial device belongs to group dialout (gid 20 on Debian, on the host too).
RUN useradd --system --uid 10001 --user-group --groups dialout \
      --home-dir /data --no-create-home meshmush \
 && mkdir -p /data && chown meshmush:meshmush /data
COPY --from=build /usr/local/bin/meshmush /usr/local/bin/meshmush
COPY deploy/meshmush.docker.toml /etc/meshmush.toml
USER meshmush
WORKDIR /data
VOLUME ["/data"]
# The status page and /metrics (see [http] in /etc/meshmush.toml); publish it on the
# host's loopback only: -p 127.0.0.1:9600:9600.
EXPOSE 9600
ENV RUST_LOG=info
STOPSIGNAL SIGTERM
ENTRYPOINT ["meshmush"]
# Name the node with --port or --tcp (or set [link] in a mounted /etc/meshmush.toml).
CMD ["run", "--config", "/etc/meshmush.toml", "--data", "/data"]
