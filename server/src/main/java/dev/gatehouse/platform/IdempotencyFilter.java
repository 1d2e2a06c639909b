package dev.gatehouse.platform;

import dev.gatehouse.platform.IdempotencyKeys.StoredKey;
import dev.gatehouse.platform.IdempotencyKeys.StoredResponse;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.method.HandlerMethod;

/**
 * {@code Idempotency-Key} for every {@code POST} under {@code /api/v1}, with Stripe's semantics: the first
 * outcome for a key is stored for 24 hours and replayed (with {@code Idempotent-Replayed: true}); the same
 * key with a different request is refused with 422 {@code idempotency_key_reused}; a duplicate that
 * arrives while the first is still running gets 409 {@code idempotency_request_in_progress}.
 *
 * <p>Keys are scoped by caller (user id, or {@code anonymous}), so two callers can never see each other's
 * outcomes. A request is identified by the SHA-256 of its method, path, query and body bytes. The claim
 * row is committed before the handler runs, which is what makes concurrent duplicates visible; the
 * price is that a node dying mid-request leaves a claim that only a retry after
 * {@code gatehouse.idempotency.in-progress-timeout} can take over.
 *
 * <p>Not every outcome is stored. 5xx and 429 are transient; 400, 401, 403, 404, 405, 408, 413 and 415 are
 * refusals before the operation ran. In both cases the request changed nothing, so a retry with the same
 * key may run again (this is Stripe's rule for validation failures too).
 *
 * <p>Ordered after Spring Security's filter chain, so the caller is known and unauthenticated requests
 * never claim keys, and therefore after {@link BodySizeLimitFilter}, which bounds the body read here.
 */
@Component
@Order(IdempotencyFilter.ORDER)
class IdempotencyFilter extends OncePerRequestFilter {

    static final int ORDER = SecurityFilterProperties.DEFAULT_FILTER_ORDER + 10;
    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_KEY_LENGTH = 255;

    /** The versioned API: keys are honoured on its POSTs only. */
    private static final String API = "/api/v1/";

    /** Outcomes that are never replayed: the operation did not run, or may succeed if retried. */
    private static final Set<Integer> NOT_STORED = Set.of(400, 401, 403, 404, 405, 408, 413, 415, 429);

    /** Claim, look, claim again: enough to ride out a row released or expiring between our statements. */
    private static final int CLAIM_ATTEMPTS = 3;

    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);

    private final IdempotencyKeys keys;
    private final IdempotencySettings settings;
    private final ProblemWriter problems;
    private final Clock clock;
    private final int maxStoredResponse;
    private final RequestMatcher keyIgnored;

    IdempotencyFilter(
            IdempotencyKeys keys, IdempotencySettings settings, ProblemWriter problems, Clock clock, Routes routes) {
        this.keys = keys;
        this.settings = settings;
        this.problems = problems;
        this.clock = clock;
        this.maxStoredResponse =
                (int) Math.min(Integer.MAX_VALUE, settings.maxStoredResponse().toBytes());
        this.keyIgnored = routes.matching(IdempotencyFilter::ignoresKey);
    }

    /**
     * Routes left out are declared by their modules with {@link IgnoresIdempotencyKey}: those whose
     * requests or responses carry credentials (nothing of them may be stored, not even a fingerprint) and
     * those that only read (a stored "valid" replayed after a revocation would be wrong, and storing one
     * per call would put a write on the hottest path).
     */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod())
                || request.getHeader(HEADER) == null
                || !path(request).startsWith(API)
                || keyIgnored.matches(request);
    }

    static boolean ignoresKey(HandlerMethod handler) {
        return AnnotatedElementUtils.hasAnnotation(handler.getMethod(), IgnoresIdempotencyKey.class)
                || AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), IgnoresIdempotencyKey.class);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var values = Collections.list(request.getHeaders(HEADER));
        String key = values.getFirst();
        if (values.size() > 1 || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            problems.write(response, new InvalidIdempotencyKey());
            return;
        }
        // Over-long bodies fail here with BodySizeLimitFilter's exception, which it turns into a 413.
        byte[] body = request.getInputStream().readAllBytes();
        var cached = new CachedBodyRequest(request, body);
        String scope = scope();
        byte[] fingerprint = fingerprint(request, body);

        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            UUID claimId = UUID.randomUUID();
            Instant expiresAt = now.plus(settings.ttl());
            if (keys.claim(scope, key, fingerprint, claimId, now, expiresAt, now.minus(settings.inProgressTimeout()))) {
                execute(cached, response, chain, new Claim(scope, key, claimId));
                return;
            }
            Optional<StoredKey> existing = keys.find(scope, key, now);
            if (existing.isEmpty()) {
                continue; // released (5xx) or expired since our claim attempt: try to claim it again
            }
            StoredKey stored = existing.get();
            if (!MessageDigest.isEqual(stored.fingerprint(), fingerprint)) {
                problems.write(response, new IdempotencyKeyReused());
            } else if (stored.response() == null) {
                problems.write(response, new IdempotentRequestInProgress());
            } else {
                replay(response, stored.response());
            }
            return;
        }
        problems.write(response, new IdempotentRequestInProgress());
    }

    private void execute(CachedBodyRequest request, HttpServletResponse response, FilterChain chain, Claim claim)
            throws ServletException, IOException {
        var captured = new CapturingResponse(response, maxStoredResponse);
        try {
            chain.doFilter(request, captured);
        } catch (ServletException | IOException | RuntimeException | Error e) {
            // Whatever escaped MVC becomes a 5xx from the container; the client may retry.
            release(claim);
            throw e;
        }
        if (request.isAsyncStarted()) {
            // Streaming and deferred results finish on another thread; store when the container is done.
            request.getAsyncContext().addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    finish(claim, captured);
                }

                @Override
                public void onTimeout(AsyncEvent event) {}

                @Override
                public void onError(AsyncEvent event) {}

                @Override
                public void onStartAsync(AsyncEvent event) {
                    event.getAsyncContext().addListener(this);
                }
            });
        } else {
            finish(claim, captured);
        }
    }

    private void finish(Claim claim, CapturingResponse captured) {
        int status = captured.getStatus();
        if (status >= 500 || NOT_STORED.contains(status) || captured.errorSent()) {
            release(claim);
            return;
        }
        if (captured.overflowed()) {
            // Replaying a truncated body would be worse than running again; say so loudly.
            log.warn(
                    "idempotency_response_too_large_to_store status={} limit={}", status, settings.maxStoredResponse());
            release(claim);
            return;
        }
        try {
            keys.complete(
                    claim.scope(),
                    claim.key(),
                    claim.id(),
                    new StoredResponse(
                            status,
                            captured.getContentType(),
                            captured.getHeader(HttpHeaders.LOCATION),
                            captured.body()));
        } catch (DataAccessException e) {
            // The response is already on its way; the claim stays until in-progress-timeout lets a retry in.
            log.error("idempotency_store_failed status={}", status, e);
        }
    }

    private void release(Claim claim) {
        try {
            keys.release(claim.scope(), claim.key(), claim.id());
        } catch (DataAccessException e) {
            log.error("idempotency_release_failed", e);
        }
    }

    private static void replay(HttpServletResponse response, StoredResponse stored) throws IOException {
        response.setStatus(stored.status());
        if (stored.contentType() != null) {
            response.setContentType(stored.contentType());
        }
        if (stored.location() != null) {
            response.setHeader(HttpHeaders.LOCATION, stored.location());
        }
        response.setHeader(REPLAYED, "true");
        response.setContentLength(stored.body().length);
        response.getOutputStream().write(stored.body());
    }

    /** Keys belong to a caller; an unauthenticated POST (only public routes get here) shares one scope. */
    private static String scope() {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication a) {
            return a.getPrincipal().userId().toString();
        }
        return "anonymous";
    }

    static byte[] fingerprint(HttpServletRequest request, byte[] body) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
        String query = request.getQueryString();
        String head = request.getMethod() + ' ' + path(request) + (query == null ? "" : "?" + query) + '\n';
        sha256.update(head.getBytes(StandardCharsets.UTF_8));
        sha256.update(body);
        return sha256.digest();
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    private record Claim(String scope, String key, UUID id) {}

    static final class InvalidIdempotencyKey extends ApiException {
        InvalidIdempotencyKey() {
            super(
                    HttpStatus.BAD_REQUEST,
                    "invalid_idempotency_key",
                    "Invalid Idempotency-Key",
                    "Send one Idempotency-Key header of 1 to " + MAX_KEY_LENGTH + " characters.");
        }
    }

    static final class IdempotencyKeyReused extends ApiException {
        IdempotencyKeyReused() {
            super(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "idempotency_key_reused",
                    "Idempotency key reused",
                    "This Idempotency-Key was already used with a different request; use a new key.");
        }
    }

    static final class IdempotentRequestInProgress extends ApiException {
        IdempotentRequestInProgress() {
            super(
                    HttpStatus.CONFLICT,
                    "idempotency_request_in_progress",
                    "Request in progress",
                    "A request with this Idempotency-Key is still running; retry shortly to get its result.");
        }

        @Override
        public Map<String, String> headers() {
            return Map.of(HttpHeaders.RETRY_AFTER, "1");
        }
    }
}
