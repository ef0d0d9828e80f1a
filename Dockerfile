# mailbot daemon. Configure with a mounted file (MAILBOT_CONFIG) and MAILBOT_* env variables;
# keep the encryption key out of the image (MAILBOT_SECURITY__KEY or a mounted key file).
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY mailbot ./mailbot
COPY templates ./templates
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
RUN useradd --system --create-home --home-dir /var/lib/mailbot --uid 10001 mailbot
COPY --from=build /install /usr/local
COPY config/mailbot.example.toml /etc/mailbot/mailbot.example.toml
USER mailbot
WORKDIR /var/lib/mailbot
# The console listens on every address inside the container; publish the port to choose
# who reaches it (docker-compose.yml publishes it on the host's 127.0.0.1).
ENV MAILBOT_CONFIG=/etc/mailbot/mailbot.toml \
    MAILBOT_PATHS__DATA_DIR=/var/lib/mailbot \
    MAILBOT_CONSOLE__LISTEN=0.0.0.0:8080 \
    PYTHONUNBUFFERED=1
VOLUME ["/var/lib/mailbot"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["mailbot", "health"]
ENTRYPOINT ["mailbot"]
CMD ["run"]
