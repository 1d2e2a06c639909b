package dev.gatehouse.identity;

import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.Problems;
import dev.gatehouse.platform.RequestIds;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Clearing brute-force lockouts. The subject is {@code email:<address>}, {@code user:<id>} (the user's
 * current email) or {@code ip:<address>}; clearing an IP clears both its sign-in and sign-up counters.
 */
@RequiresPermission(Permission.LOCKOUTS_CLEAR)
@RestController
@RequestMapping(path = "/api/v1/admin/ratelimits", produces = "application/json")
class ThrottleAdminController {

    private final SignInThrottle throttle;
    private final Users users;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ThrottleAdminController(SignInThrottle throttle, Users users, ApplicationEventPublisher events, Clock clock) {
        this.throttle = throttle;
        this.users = users;
        this.events = events;
        this.clock = clock;
    }

    record Cleared(String subject, int cleared) {}

    @Operation(
            operationId = "clearThrottle",
            summary = "Clear the brute-force counters and lockout of an account or IP")
    @DeleteMapping("/{subject}")
    @Transactional
    Cleared clear(@PathVariable String subject) {
        List<String> keys = keys(subject);
        int cleared = throttle.clear(keys);
        events.publishEvent(new ThrottleCleared(
                CallerAuthentication.current().userId(), subject, cleared, RequestIds.current(), clock.instant()));
        return new Cleared(subject, cleared);
    }

    private List<String> keys(String subject) {
        int colon = subject.indexOf(':');
        String kind = colon < 0 ? "" : subject.substring(0, colon);
        String value = colon < 0 ? "" : subject.substring(colon + 1).trim();
        if (value.isEmpty() || value.length() > 254) throw invalidSubject();
        return switch (kind) {
            case "email" ->
                List.of(SignInThrottle.key(SignInThrottle.Kind.LOGIN_ACCOUNT, EmailAddress.normalize(value)));
            case "user" -> {
                UUID id;
                try {
                    id = UUID.fromString(value);
                } catch (IllegalArgumentException e) {
                    throw invalidSubject();
                }
                User user = users.byId(id).orElseThrow(() -> Problems.notFound("User"));
                yield List.of(SignInThrottle.key(SignInThrottle.Kind.LOGIN_ACCOUNT, user.email()));
            }
            case "ip" ->
                List.of(
                        SignInThrottle.key(SignInThrottle.Kind.LOGIN_IP, value),
                        SignInThrottle.key(SignInThrottle.Kind.REGISTER_IP, value));
            default -> throw invalidSubject();
        };
    }

    private static RuntimeException invalidSubject() {
        return Problems.badRequest(
                "invalid_subject", "The subject must be email:<address>, user:<id> or ip:<address>.");
    }
}
