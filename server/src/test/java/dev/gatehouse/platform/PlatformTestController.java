package dev.gatehouse.platform;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.util.UriUtils;

/**
 * Routes that exist only in tests, to drive the platform's plumbing end to end. They sit under
 * {@code /api/v1/test-support} and need a caller like any v1 route; tests authenticate with
 * {@link TestCallers}, so the production security configuration is exercised, not bypassed.
 */
@RestController
@RequiresPermission(Permission.SIGNED_IN)
@RequestMapping("/api/v1/test-support")
class PlatformTestController {

    enum Kind {
        BASIC,
        PREMIUM
    }

    /** A value object that validates on creation, as the domain's are. */
    record Sku(String value) {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        Sku {
            if (!value.matches("[A-Z]{3}-[0-9]{3}")) {
                throw new IllegalArgumentException("Must look like ABC-123.");
            }
        }
    }

    record Widget(
            @NotBlank @Size(max = 20) String displayName,
            @PositiveOrZero int count,
            boolean active,
            @Nullable BigDecimal price,
            @Nullable Kind kind,
            @Nullable Instant startsAt,
            @Nullable List<String> tags,
            @Nullable Sku sku) {}

    /** The body of the routes that count executions: the value they are counted under. */
    record Tagged(@NotBlank @Size(max = 200) String value) {}

    /** Counts executions per value, so tests can tell "ran again" from "replayed". */
    static final Map<String, AtomicInteger> EXECUTIONS = new ConcurrentHashMap<>();

    /** The gated route waits on this until the test lets it finish. */
    static volatile CountDownLatch gate = new CountDownLatch(0);

    /** Counted down by the gated route once it is running, so tests know the claim is held. */
    static volatile CountDownLatch entered = new CountDownLatch(0);

    static int executions(String value) {
        AtomicInteger n = EXECUTIONS.get(value);
        return n == null ? 0 : n.get();
    }

    @PostMapping("/widgets")
    ResponseEntity<Map<String, Object>> create(@Valid @RequestBody Widget widget) {
        int n = EXECUTIONS
                .computeIfAbsent(widget.displayName(), k -> new AtomicInteger())
                .incrementAndGet();
        // The name is the fuzzer's to choose (quotes, spaces, ...): encoded, or the Location is no URI at all.
        String segment = UriUtils.encodePathSegment(widget.displayName(), StandardCharsets.UTF_8);
        return ResponseEntity.created(URI.create("/api/v1/test-support/widgets/" + segment))
                .body(Map.of("widget", widget, "execution", n));
    }

    /** Answers a business refusal (422) that is deterministic, so it is stored like a success. */
    @PostMapping("/refusals")
    ResponseEntity<Map<String, Object>> refuse(@Valid @RequestBody Tagged body) {
        EXECUTIONS.computeIfAbsent(body.value(), k -> new AtomicInteger()).incrementAndGet();
        throw Problems.invalid("widget_sold_out", "No widgets left for " + body.value() + ".");
    }

    @PostMapping("/gated")
    ResponseEntity<Map<String, Object>> gated(@Valid @RequestBody Tagged body) throws InterruptedException {
        int n = EXECUTIONS
                .computeIfAbsent(body.value(), k -> new AtomicInteger())
                .incrementAndGet();
        entered.countDown();
        if (!gate.await(30, TimeUnit.SECONDS)) {
            throw Problems.conflict("gate_timeout", "The test never opened the gate.");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("execution", n));
    }

    /** A streamed (async) response, to check outcomes that finish on another thread are stored too. */
    @PostMapping(path = "/streams", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<StreamingResponseBody> stream(@Valid @RequestBody Tagged body) {
        int n = EXECUTIONS
                .computeIfAbsent(body.value(), k -> new AtomicInteger())
                .incrementAndGet();
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(out -> {
            for (int i = 0; i < 3; i++) {
                out.write(("chunk " + i + " of execution " + n + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        });
    }

    @GetMapping("/widgets/{name}")
    Map<String, String> widget(@PathVariable String name) {
        return Map.of("display_name", name);
    }

    @DeprecatedRoute(since = "2026-01-15", sunset = "2027-06-30")
    @GetMapping("/old-widgets")
    Map<String, String> oldWidgets() {
        return Map.of("status", "deprecated");
    }

    @DeprecatedRoute(sunset = "2027-06-05", link = "https://docs.example.com/migrate")
    @GetMapping("/older-widgets")
    Map<String, String> olderWidgets() {
        return Map.of("status", "deprecated");
    }

    /**
     * A public template with a protected literal beside it: the literal is more specific and wins. Hidden
     * from the OpenAPI document, whose public operations are the sign-in and discovery ones.
     */
    @Hidden
    @RequiresPermission(Permission.PUBLIC)
    @GetMapping("/open/{name}")
    Map<String, String> open(@PathVariable String name) {
        return Map.of("display_name", name);
    }

    @Hidden
    @GetMapping("/open/members")
    Map<String, String> members() {
        return Map.of("status", "members only");
    }

    @RequiresPermission(Permission.USERS_MANAGE)
    @GetMapping("/admin-only")
    Map<String, String> adminOnly() {
        return Map.of("status", "ok");
    }
}
