package dev.gatehouse.identity.mfa;

import dev.gatehouse.jobs.RecurringJob;
import dev.gatehouse.jobs.RecurringSchedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Deletes {@code mfa_token} challenges a day after they expired, hourly, in batches. */
@Component
class MfaChallengePurge implements RecurringJob {

    private static final Logger log = LoggerFactory.getLogger(MfaChallengePurge.class);
    private static final int BATCH = 5_000;

    /** Kept a day past expiry, so a support question about a failed sign-in can still be looked into. */
    static final Duration KEEP = Duration.ofDays(1);

    private final MfaChallenges challenges;
    private final Clock clock;

    MfaChallengePurge(MfaChallenges challenges, Clock clock) {
        this.challenges = challenges;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "mfa-challenges-purge";
    }

    @Override
    public RecurringSchedule schedule() {
        return RecurringSchedule.cron("0 23 * * * *");
    }

    @Override
    public void run() {
        Instant before = clock.instant().minus(KEEP);
        int total = 0;
        int deleted;
        do {
            deleted = challenges.purgeExpired(before, BATCH);
            total += deleted;
        } while (deleted == BATCH);
        log.info("mfa_challenges_purged count={} before={}", total, before);
    }
}
