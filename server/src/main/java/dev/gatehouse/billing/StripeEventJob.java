package dev.gatehouse.billing;

import dev.gatehouse.jobs.JobHandler;
import dev.gatehouse.jobs.JobType;
import dev.gatehouse.jobs.RetryPolicy;
import java.time.Clock;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The job that processes one stored Stripe event: retried with backoff ({@code gatehouse.billing.event-retry}),
 * then dead, when the event is marked dead too; an admin's retry of the job
 * ({@code POST /api/v1/admin/jobs/{id}/retry}) processes it again from the stored raw event.
 */
@Component
class StripeEventJob implements JobHandler<StripeEventJob.Payload> {

    static final JobType<Payload> TYPE = JobType.of("billing.stripe-event", Payload.class);

    /** @param eventId the Stripe event id, the key of its {@code stripe_events} row */
    record Payload(String eventId) {}

    private final StripeEventProcessor processor;
    private final StripeEvents events;
    private final BillingSettings settings;
    private final Clock clock;

    StripeEventJob(StripeEventProcessor processor, StripeEvents events, BillingSettings settings, Clock clock) {
        this.processor = processor;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public JobType<Payload> type() {
        return TYPE;
    }

    @Override
    public void handle(Payload payload) throws Exception {
        processor.process(payload.eventId());
    }

    @Override
    public Optional<RetryPolicy> retryPolicy() {
        BillingSettings.EventRetry r = settings.eventRetry();
        return Optional.of(new RetryPolicy(r.maxAttempts(), r.initialDelay(), r.maxDelay()));
    }

    @Override
    public void onDead(Payload payload) {
        events.mark(payload.eventId(), StripeEvents.State.DEAD, clock.instant());
    }
}
