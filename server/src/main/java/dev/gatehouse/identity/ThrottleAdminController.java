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
 * Clearing sign-in lockouts: an account's (the counter of its current email), an email address's (also one
 * without an account) or a client IP's (its sign-in and sign-up counters). These routes are identity's own;
 * {@code /api/v1/admin/ratelimits} belongs to the rate-limit module. The audit keeps the subject in its
 * {@code email:}, {@code user:} or {@code ip:} form.
 */
@RequiresPermission(Permission.LOCKOUTS_CLEAR)
@RestController
@RequestMapping(path = "/api/v1/admin", produces = "application/json")
class ThrottleAdminController {

    /** Longer than any email address (RFC 5321) or IP literal; refuses junk before it reaches SQL. */
    private static final int MAX_VALUE_LENGTH = 254;

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
            operationId = "clearUserSignInLockout",
            summary = "Clear the sign-in counters and lockout of a user's account (its current email)")
    @DeleteMapping("/users/{id}/sign-in-lockout")
    @Transactional
    Cleared clearUser(@PathVariable UUID id) {
        User user = users.byId(id).orElseThrow(() -> Problems.notFound("User"));
        return clear("user:" + id, List.of(SignInThrottle.key(SignInThrottle.Kind.LOGIN_ACCOUNT, user.email())));
    }

    @Operation(
            operationId = "clearEmailSignInLockout",
            summary = "Clear the sign-in counters and lockout of an email address, with or without an account")
    @DeleteMapping("/sign-in-lockouts/email/{email}")
    @Transactional
    Cleared clearEmail(@PathVariable String email) {
        String address = EmailAddress.normalize(checked(email));
        return clear("email:" + address, List.of(SignInThrottle.key(SignInThrottle.Kind.LOGIN_ACCOUNT, address)));
    }

    @Operation(
            operationId = "clearIpSignInLockout",
            summary = "Clear the sign-in and sign-up counters and lockout of a client IP")
    @DeleteMapping("/sign-in-lockouts/ip/{ip}")
    @Transactional
    Cleared clearIp(@PathVariable String ip) {
        String value = checked(ip);
        return clear(
                "ip:" + value,
                List.of(
                        SignInThrottle.key(SignInThrottle.Kind.LOGIN_IP, value),
                        SignInThrottle.key(SignInThrottle.Kind.REGISTER_IP, value)));
    }

    private Cleared clear(String subject, List<String> keys) {
        int cleared = throttle.clear(keys);
        events.publishEvent(new ThrottleCleared(
                CallerAuthentication.current().userId(), subject, cleared, RequestIds.current(), clock.instant()));
        return new Cleared(subject, cleared);
    }

    private static String checked(String value) {
        String trimmed = value.trim();
        if (trimmed.isEmpty() || trimmed.length() > MAX_VALUE_LENGTH) {
            throw Problems.badRequest(
                    "invalid_subject", "The email address or IP must be 1 to " + MAX_VALUE_LENGTH + " characters.");
        }
        return trimmed;
    }
}
