package dev.gatehouse.jobs;

/**
 * A task that runs on a schedule, declared as a Spring bean. Exactly one node runs each occurrence; a
 * failed run is logged and counted, and the task simply runs again at its next scheduled time.
 */
public interface RecurringJob {

    /** A stable name, unique within the application; it keys the schedule in the database. */
    String name();

    RecurringSchedule schedule();

    void run() throws Exception;
}
