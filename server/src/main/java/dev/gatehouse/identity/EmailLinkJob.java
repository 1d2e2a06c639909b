package dev.gatehouse.identity;

import dev.gatehouse.jobs.JobHandler;
import dev.gatehouse.jobs.JobType;
import dev.gatehouse.jobs.Jobs;
import org.springframework.stereotype.Component;

/**
 * Sends a verification or password-reset link for an address, if it has a matching account. Runs as a
 * job so that the request that asked for it does the same work for every address.
 */
@Component
class EmailLinkJob implements JobHandler<EmailLinkJob.Request> {

    enum Purpose {
        VERIFY_EMAIL,
        PASSWORD_RESET
    }

    /** Stored as {@code {"purpose": "VERIFY_EMAIL", "email": "..."}}. */
    record Request(Purpose purpose, String email) {}

    static final JobType<Request> TYPE = JobType.of("identity.email-link", Request.class);

    private final Accounts accounts;

    EmailLinkJob(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public JobType<Request> type() {
        return TYPE;
    }

    @Override
    public void handle(Request request) {
        switch (request.purpose()) {
            case VERIFY_EMAIL -> accounts.sendVerificationLink(request.email());
            case PASSWORD_RESET -> accounts.sendResetLink(request.email());
        }
    }

    /** Queues the job; a bean of its own so that {@link Accounts} and the handler do not depend on each other. */
    @Component
    static class Queue {
        private final Jobs jobs;

        Queue(Jobs jobs) {
            this.jobs = jobs;
        }

        void enqueue(Purpose purpose, String email) {
            jobs.enqueue(TYPE, new Request(purpose, email), null);
        }
    }
}
