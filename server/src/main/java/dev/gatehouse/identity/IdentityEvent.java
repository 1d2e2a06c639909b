package dev.gatehouse.identity;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A fact the identity module publishes, inside the transaction that made it true. Each is a public record
 * that serializes with Jackson (the event publication registry stores listeners' events as JSON), and the
 * internal contract an outgoing-webhook catalog maps from.
 */
public sealed interface IdentityEvent
        permits UserRegistered,
                EmailChanged,
                PasswordChanged,
                SignedIn,
                SignedOut,
                SignInFailed,
                SignInLockedOut,
                ThrottleCleared,
                RefreshTokenReused,
                MfaEnabled,
                MfaDisabled,
                RecoveryCodesRegenerated,
                MfaChallengePassed,
                MfaChallengeFailed,
                StepUpPassed,
                StepUpFailed,
                UserSuspended,
                UserActivated,
                UserSessionsRevoked,
                UserRolesChanged,
                UserDeleted,
                ImpersonationStarted {

    /** When it happened (the publishing transaction's clock reading). */
    Instant occurredAt();

    /** The id of the HTTP request that caused it ({@code X-Request-Id}); null outside a request. */
    @Nullable
    String requestId();
}
