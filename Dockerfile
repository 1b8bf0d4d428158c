# Twinning in a container: a static binary on a distroless base, running as a non-root user,
# with the SQLite registry on the /data volume. Build: docker build -t twinning .
#   docker run -p 8080:8080 -v twinning-data:/data twinning
# PostgreSQL instead: -e TWINNING_DB=postgres://user:password@host:5432/db (see compose.yaml).

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# Pure Go throughout (modernc.org/sqlite): one static binary, no C library.
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/twinning ./cmd/twinning \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/twinning /usr/local/bin/twinning
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
WORKDIR /data
ENV TWINNING_DB=/data/twinning.db \
    TWINNING_ADDR=0.0.0.0:8080 \
    TWINNING_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["/usr/local/bin/twinning", "health"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/twinning"]
CMD ["serve"]
