package dev.gatehouse.billing;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import dev.gatehouse.jobs.Jobs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The webhook's intake: verify the signature with stripe-java's own {@link Webhook#constructEvent} (HMAC-SHA256 of
 * {@code t.payload}, any of the header's {@code v1} signatures, at most {@code gatehouse.stripe.tolerance} old by
 * our clock), against each configured secret in turn so a secret can be rotated without refusing events; then
 * store the raw event under its id and enqueue its processing job in the same transaction. Stripe gets its 2xx as
 * soon as that commits: the work is the job's, retried and dead-lettered by the jobs module, and nothing
 * acknowledged is lost when the node dies.
 */
@Service
class WebhookIntake {

    /** What the intake did with a delivery. */
    enum Outcome {
        STORED,
        DUPLICATE
    }

    private final StripeSettings settings;
    private final StripeEvents events;
    private final Jobs jobs;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter refused;

    WebhookIntake(
            StripeSettings settings,
            StripeEvents events,
            Jobs jobs,
            TransactionTemplate tx,
            Clock clock,
            MeterRegistry meters) {
        this.settings = settings;
        this.events = events;
        this.jobs = jobs;
        this.tx = tx;
        this.clock = clock;
        this.stored = outcome(meters, "stored");
        this.duplicates = outcome(meters, "duplicate");
        this.refused = outcome(meters, "refused");
    }

    private static Counter outcome(MeterRegistry meters, String outcome) {
        return Counter.builder("gatehouse.billing.webhooks")
                .description("Stripe webhook deliveries by outcome")
                .tag("outcome", outcome)
                .register(meters);
    }

    Outcome receive(String payload, @Nullable String signature) {
        if (settings.webhookSecret().isEmpty()) throw BillingFailures.disabled();
        if (signature == null || signature.isBlank()) {
            refused.increment();
            throw BillingFailures.badSignature("The Stripe-Signature header is missing.");
        }
        Event event = verify(payload, signature);
        String id = event.getId();
        if (id == null || !id.matches("evt_[A-Za-z0-9_]{1,250}") || event.getType() == null) {
            refused.increment();
            throw BillingFailures.badEvent("The event has no valid id or type.");
        }
        Instant created = event.getCreated() == null ? clock.instant() : Instant.ofEpochSecond(event.getCreated());
        boolean inserted = Boolean.TRUE.equals(tx.execute(s -> {
            if (!events.insert(id, event.getType(), created, payload, clock.instant())) return false;
            UUID job = jobs.enqueue(StripeEventJob.TYPE, new StripeEventJob.Payload(id), null);
            events.setJob(id, job);
            return true;
        }));
        (inserted ? stored : duplicates).increment();
        return inserted ? Outcome.STORED : Outcome.DUPLICATE;
    }

    private Event verify(String payload, String signature) {
        long tolerance = settings.tolerance().toSeconds();
        SignatureVerificationException last = null;
        for (String secret : settings.webhookSecret()) {
            try {
                return Objects.requireNonNull(Webhook.constructEvent(payload, signature, secret, tolerance, clock));
            } catch (SignatureVerificationException e) {
                last = e;
            } catch (RuntimeException e) {
                // Signed with our secret yet not an event (gson's parse error, a runtime-only dependency): refused.
                refused.increment();
                throw BillingFailures.badEvent("The body is not a Stripe event.");
            }
        }
        refused.increment();
        // The SDK's message says which check failed (no signatures, stale timestamp), not the secret.
        throw BillingFailures.badSignature(
                last == null ? "The signature could not be verified." : Objects.toString(last.getMessage()));
    }
}
