/** Durable PostgreSQL-backed background jobs: transactional enqueue, retries, dead letters, recurring schedules. */
@NullMarked
@ApplicationModule(displayName = "Jobs")
package dev.gatehouse.jobs;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
