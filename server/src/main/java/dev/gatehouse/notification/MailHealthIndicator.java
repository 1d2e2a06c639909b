package dev.gatehouse.notification;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Health contributor {@code mail}: up when captured; with SMTP, up when the server answers a connection.
 * The answer is reused for {@code gatehouse.mail.health-cache-ttl}, so a busy readiness probe opens at most
 * one SMTP connection per period, and a hanging server delays at most one probe.
 */
@Component
class MailHealthIndicator extends AbstractHealthIndicator {

    private final MailTransport transport;
    private final long ttlNanos;

    private final Object lock = new Object();
    private @Nullable String lastError;
    private boolean checked;
    private long checkedAt;

    MailHealthIndicator(MailTransport transport, MailSettings settings) {
        super("Mail health check failed");
        this.transport = transport;
        this.ttlNanos = settings.healthCacheTtl().toNanos();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        String error = check();
        builder.withDetail("transport", transport.name());
        if (error == null) {
            builder.up();
        } else {
            builder.down().withDetail("error", error);
        }
    }

    /** Null when reachable, else the reason. Cache age uses the monotonic clock: it is elapsed time. */
    private @Nullable String check() {
        synchronized (lock) {
            long now = System.nanoTime();
            if (!checked || now - checkedAt >= ttlNanos) {
                try {
                    transport.checkConnection();
                    lastError = null;
                } catch (Exception e) {
                    lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                }
                checked = true;
                checkedAt = System.nanoTime();
            }
            return lastError;
        }
    }
}
