package dev.gatehouse.jobs;

import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.Problems;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The admin view of the queue: list jobs (the dead letters, typically) and retry dead ones. */
@RequiresPermission(Permission.JOBS_MANAGE)
@RestController
class JobAdminController {

    private final JobRuns runs;
    private final JobQueue queue;

    JobAdminController(JobRuns runs, JobQueue queue) {
        this.runs = runs;
        this.queue = queue;
    }

    record JobPage(List<JobView> data, @Nullable String nextCursor) {}

    @Operation(operationId = "listJobs", summary = "Jobs, newest first, filtered by state and type (cursor pagination)")
    @GetMapping("/api/v1/admin/jobs")
    JobPage jobs(
            @RequestParam(required = false) @Nullable String state,
            @RequestParam(required = false) @Nullable String type,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        JobState wanted = state == null
                ? null
                : JobState.parse(state)
                        .orElseThrow(() -> Problems.badRequest(
                                "invalid_parameter",
                                "Parameter 'state' must be one of queued, running, succeeded, failed, dead."));
        PageCursor after = cursor == null ? null : PageCursor.decode(cursor);
        Page<JobRun> page = runs.page(wanted, type, after, limit);
        return new JobPage(
                page.items().stream().map(run -> JobView.of(run, true)).toList(), page.nextCursor());
    }

    @Operation(operationId = "retryJob", summary = "Retry a dead job now")
    @PostMapping("/api/v1/admin/jobs/{id}/retry")
    JobView retry(@PathVariable UUID id) {
        return JobView.of(queue.retry(id), true);
    }
}
