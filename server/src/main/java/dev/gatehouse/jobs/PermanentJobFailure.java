package dev.gatehouse.jobs;

/** Thrown by a {@link JobHandler} when retrying cannot help (a rejected address, a malformed payload). */
public class PermanentJobFailure extends RuntimeException {

    public PermanentJobFailure(String message) {
        super(message);
    }

    public PermanentJobFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
