# A small image for CI: only the polku binary and the default theme.
#   docker build --build-arg POLKU_COMMIT=$(git rev-parse --short=12 HEAD) -t polku .
#   docker run --rm -v "$PWD:/site" -w /site polku build --out public
# The build stage needs what `cargo build --release --locked` needs: the
# Rust toolchain and a C compiler (for the few crates that build C).
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
COPY examples ./examples
COPY themes ./themes
ARG POLKU_COMMIT=unknown
ENV POLKU_COMMIT=${POLKU_COMMIT}
RUN cargo build --release --locked --bin polku

FROM debian:bookworm-slim
COPY --from=build /src/target/release/polku /usr/local/bin/polku
COPY --from=build /src/themes/default /usr/share/polku/themes/default
# `polku build` inside a project uses its own themes/default when it has
# one; this default points at the theme in the image.
WORKDIR /site
ENTRYPOINT ["polku"]
CMD ["build", "--theme", "/usr/share/polku/themes/default"]
