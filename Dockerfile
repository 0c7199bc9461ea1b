# interview-bot: build with the Rust toolchain, run on a slim Debian as a non-root user.
#   docker build -t interview-bot .
#   docker run -e DISCORD_TOKEN=... -v interview-bot-data:/data interview-bot
# The decks in content/ are baked in; mount your own over /app/content to change them.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY migrations migrations
COPY benches benches
RUN cargo build --release

FROM debian:bookworm-slim
RUN useradd --system --create-home --home-dir /app bot \
    && mkdir /data \
    && chown bot:bot /data
WORKDIR /app
COPY --from=build /src/target/release/interview-bot /usr/local/bin/interview-bot
COPY content content
COPY notes notes
USER bot
ENV DATABASE_URL=/data/interview-bot.db
VOLUME /data
# SIGTERM (what `docker stop` sends) stops the bot cleanly: work in flight finishes and it exits 0
# well within Docker's 10-second grace period.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s CMD ["interview-bot", "health"]
CMD ["interview-bot", "run"]
