package dev.gatehouse.jobs;

import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.Problems;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Job status for the user a job belongs to (an export, say) and for admins. */
@RequiresPermission(Permission.SIGNED_IN)
@RestController
class JobController {

    private final JobRuns runs;

    JobController(JobRuns runs) {
        this.runs = runs;
    }

    /** Anyone else gets 404, not 403, so job ids cannot be probed for existence. */
    @Operation(
            operationId = "getJob",
            summary = "One job: its state, attempts and timing (the job's owner, or an admin)")
    @GetMapping("/api/v1/jobs/{id}")
    JobView job(@PathVariable UUID id) {
        Caller caller = CallerAuthentication.current();
        boolean admin = isAdmin(caller);
        return runs.find(id)
                .filter(run -> admin || run.ownedBy(caller.userId()))
                .map(run -> JobView.of(run, admin))
                .orElseThrow(() -> Problems.notFound("Job"));
    }

    /** Those who manage every job see every job; the roles are the permission table's. */
    static boolean isAdmin(Caller caller) {
        return Permission.JOBS_MANAGE.grantedTo(caller);
    }
}
