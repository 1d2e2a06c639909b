package dev.gatehouse.identity;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Records the identity module's events as a future audit module would receive them: after the
 * publishing transaction commits. An event published outside a transaction, or rolled back, never
 * arrives here, so the tests also prove "published inside the transaction".
 */
@Component
class RecordedIdentityEvents {

    private final List<Object> events = new CopyOnWriteArrayList<>();

    @TransactionalEventListener(
            classes = {
                MfaEnabled.class,
                MfaDisabled.class,
                RecoveryCodesRegenerated.class,
                MfaChallengePassed.class,
                MfaChallengeFailed.class,
                StepUpPassed.class,
                StepUpFailed.class,
                EmailChanged.class
            })
    void on(Object event) {
        events.add(event);
    }

    /** The events of one type about one user, oldest first. */
    <T> List<T> of(Class<T> type, UUID userId) {
        return events.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(e -> userId.equals(userOf(e)))
                .toList();
    }

    private static UUID userOf(Object event) {
        return switch (event) {
            case MfaEnabled e -> e.userId();
            case MfaDisabled e -> e.userId();
            case RecoveryCodesRegenerated e -> e.userId();
            case MfaChallengePassed e -> e.userId();
            case MfaChallengeFailed e -> e.userId();
            case StepUpPassed e -> e.userId();
            case StepUpFailed e -> e.userId();
            case EmailChanged e -> e.userId();
            default -> throw new IllegalArgumentException(event.toString());
        };
    }
}
