package dev.gatehouse.metering;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Metering settings ({@code gatehouse.metering.*}).
 *
 * @param grace how late an event may arrive (its timestamp before now) and still count, in its own period;
 *     older ones are rejected as {@code too_late}
 * @param futureSkew how far ahead of the server's clock an event's timestamp may be (clients' clocks drift)
 * @param retention how long accepted events are kept, and so how long their ids are remembered as
 *     duplicates; longer than {@code grace} plus {@code futureSkew}, so an id forgotten by the purge can only
 *     come back with a timestamp too old to count
 * @param idempotencyRetention how long a quota consumption's answer is kept for its Idempotency-Key
 * @param consumeLanes how many quota consumptions each node runs in parallel: consumptions waiting in one lane
 *     are admitted together in one transaction, which is what keeps one busy organization from being limited
 *     by PostgreSQL's commit rate on its counter row
 * @param consumeBatch how many waiting consumptions one transaction admits at most
 */
@ConfigurationProperties("gatehouse.metering")
record MeteringSettings(
        @DefaultValue("1d") Duration grace,
        @DefaultValue("5m") Duration futureSkew,
        @DefaultValue("400d") Duration retention,
        @DefaultValue("24h") Duration idempotencyRetention,
        @DefaultValue("8") int consumeLanes,
        @DefaultValue("256") int consumeBatch) {

    MeteringSettings {
        for (Duration d : new Duration[] {grace, futureSkew, retention, idempotencyRetention}) {
            if (d.isNegative()) throw new IllegalArgumentException("gatehouse.metering durations must not be negative");
        }
        if (retention.compareTo(grace.plus(futureSkew)) <= 0) {
            throw new IllegalArgumentException(
                    "gatehouse.metering.retention must be longer than grace plus future-skew, or a purged event id"
                            + " could be counted again");
        }
        if (consumeLanes < 1) throw new IllegalArgumentException("gatehouse.metering.consume-lanes must be >= 1");
        if (consumeBatch < 1) throw new IllegalArgumentException("gatehouse.metering.consume-batch must be >= 1");
    }
}
