package dev.gatehouse.client.openfeature;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.client.flags.Snapshot;
import dev.gatehouse.client.flags.SnapshotJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's snapshot endpoint as the provider sees it, on loopback: {@code GET /api/v1/flags/snapshot} with a
 * service key, a strong ETag and 304 for {@code If-None-Match}; and the ways it can fail (an HTTP status, a refused
 * key, no answer at all). The real endpoint is exercised by the server's OpenFeatureProviderEndToEndTest.
 */
final class SnapshotServer implements AutoCloseable {

    static final String KEY = "gh_sk_test";

    private final HttpServer server;
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger notModified = new AtomicInteger();
    private volatile String body;
    private volatile String etag;
    private volatile int failWith; // 0: answer normally
    private volatile boolean hang;

    SnapshotServer(Snapshot snapshot) {
        serve(snapshot);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(SnapshotFetcher.PATH, this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves this snapshot from now on, under the ETag of its version. */
    void serve(Snapshot snapshot) {
        body = SnapshotJson.write(snapshot);
        etag = "\"" + snapshot.version() + "\"";
    }

    /** Answers every request with this status (0: answer normally again). */
    void failWith(int status) {
        failWith = status;
    }

    /** Holds every request without an answer until {@link #close}. */
    void hang() {
        hang = true;
    }

    /** Snapshots sent in full (200). */
    int served() {
        return served.get();
    }

    /** Polls answered 304. */
    int notModified() {
        return notModified.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (hang) {
                released.await(60, TimeUnit.SECONDS);
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            int status = failWith;
            if (status != 0) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            String tag = etag;
            String payload = body;
            exchange.getResponseHeaders().set("ETag", tag);
            if (tag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                notModified.incrementAndGet();
                exchange.sendResponseHeaders(304, -1);
                return;
            }
            byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            served.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
