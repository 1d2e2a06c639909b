package dev.gatehouse.credits;

import dev.gatehouse.jobs.JobHandler;
import dev.gatehouse.jobs.JobType;
import java.time.Clock;
import org.springframework.stereotype.Component;

/** Runs a reconciliation's comparison in the background (at least once: a retry starts the comparison over). */
@Component
class ReconciliationJob implements JobHandler<Reconciliations.Run> {

    private final Reconciliations reconciliations;
    private final Clock clock;

    ReconciliationJob(Reconciliations reconciliations, Clock clock) {
        this.reconciliations = reconciliations;
        this.clock = clock;
    }

    @Override
    public JobType<Reconciliations.Run> type() {
        return Reconciliations.TYPE;
    }

    @Override
    public void handle(Reconciliations.Run run) {
        reconciliations.run(run.reconciliation(), clock.instant());
    }

    @Override
    public void onDead(Reconciliations.Run run) {
        reconciliations.failed(
                run.reconciliation(), "the comparison failed; see the job's last error", clock.instant());
    }
}
