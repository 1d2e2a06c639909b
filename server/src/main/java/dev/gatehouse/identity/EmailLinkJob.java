package dev.gatehouse.identity;

import dev.gatehouse.jobs.JobHandler;
import dev.gatehouse.jobs.Jobs;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends a verification or password-reset link for an address, if it has a matching account. Runs as a
 * job so that the request that asked for it does the same work for every address.
 */
@Component
class EmailLinkJob implements JobHandler {

    static final String TYPE = "identity.email-link";

    enum Purpose {
        VERIFY_EMAIL,
        PASSWORD_RESET
    }

    private final Accounts accounts;
    private final JsonMapper json;

    EmailLinkJob(Accounts accounts, JsonMapper json) {
        this.accounts = accounts;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void handle(String payload) {
        JsonNode request = json.readTree(payload);
        String email = request.get("email").asString();
        switch (Purpose.valueOf(request.get("purpose").asString())) {
            case VERIFY_EMAIL -> accounts.sendVerificationLink(email);
            case PASSWORD_RESET -> accounts.sendResetLink(email);
        }
    }

    /** Queues the job; a bean of its own so that {@link Accounts} and the handler do not depend on each other. */
    @Component
    static class Queue {
        private final Jobs jobs;
        private final JsonMapper json;

        Queue(Jobs jobs, JsonMapper json) {
            this.jobs = jobs;
            this.json = json;
        }

        void enqueue(Purpose purpose, String email) {
            var payload = json.createObjectNode().put("purpose", purpose.name()).put("email", email);
            jobs.enqueue(TYPE, payload.toString(), null);
        }
    }
}
