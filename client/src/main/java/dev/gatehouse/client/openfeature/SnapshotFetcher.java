package dev.gatehouse.client.openfeature;

import dev.gatehouse.client.flags.Snapshot;
import dev.gatehouse.client.flags.SnapshotJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One conditional GET of the server's snapshot: {@code If-None-Match} with the ETag of the last snapshot this
 * fetcher returned, so an unchanged snapshot costs a 304 and no parsing. Not thread-safe: the provider's poller
 * is its only caller (and initialization, before the poller starts).
 */
final class SnapshotFetcher {

    static final String PATH = "/api/v1/flags/snapshot";

    /** What one fetch found. */
    sealed interface Fetch permits Changed, Unchanged, Failed {}

    record Changed(Snapshot snapshot) implements Fetch {}

    record Unchanged() implements Fetch {}

    /** @param refused the server refused the service key (401, 403): retrying will not help until it is fixed */
    record Failed(boolean refused, String message) implements Fetch {}

    private final HttpClient http;
    private final URI uri;
    private final String authorization;
    private final Duration timeout;
    private String etag;

    SnapshotFetcher(HttpClient http, String serverUrl, String serviceKey, Duration timeout) {
        this.http = http;
        String base = serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
        this.uri = URI.create(base + PATH);
        this.authorization = "Bearer " + serviceKey;
        this.timeout = timeout;
    }

    URI uri() {
        return uri;
    }

    Fetch fetch() {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json")
                .GET();
        if (etag != null) request.header("If-None-Match", etag);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Failed(false, "GET " + uri + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failed(false, "GET " + uri + " interrupted");
        }
        int status = response.statusCode();
        if (status == 304) return new Unchanged();
        if (status == 401 || status == 403) {
            return new Failed(true, "GET " + uri + " refused the service key (HTTP " + status + ")");
        }
        if (status != 200) return new Failed(false, "GET " + uri + " answered HTTP " + status);
        Snapshot snapshot;
        try {
            snapshot = SnapshotJson.parse(response.body());
        } catch (IllegalArgumentException e) {
            return new Failed(false, "GET " + uri + " answered a snapshot that does not parse: " + e.getMessage());
        }
        etag = response.headers().firstValue("ETag").orElse(null);
        return new Changed(snapshot);
    }
}
