package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second Gatehouse started on a data directory in use must not stop the first one's PostgreSQL: it refuses to
 * start, and says why. A directory whose Gatehouse is gone (its lock released) starts as before.
 */
class OrphanedDatabaseTest {

    @Test
    void aDataDirectoryInUseRefusesTheStartAndStopsNothing(@TempDir Path dir) throws Exception {
        // A live process that the pid file names: this JVM stands in for the running postmaster.
        Path pidFile = dir.resolve("postmaster.pid");
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n" + dir + "\n");
        try (FileChannel channel = FileChannel.open(
                        dir.resolve(EmbeddedDatabaseConfiguration.LOCK_FILE),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            assertThat(held.isValid()).isTrue();
            assertThatThrownBy(() -> EmbeddedDatabaseConfiguration.stopOrphanedServer(dir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Another Gatehouse is running on the data directory");
        }
        assertThat(ProcessHandle.current().isAlive()).isTrue();
        assertThat(pidFile).exists();
    }

    @Test
    void aReleasedLockIsNoObstacle(@TempDir Path dir) throws Exception {
        Files.createFile(dir.resolve(EmbeddedDatabaseConfiguration.LOCK_FILE));
        // No pid file: nothing to stop, and the start goes on.
        EmbeddedDatabaseConfiguration.stopOrphanedServer(dir);
        assertThat(dir.resolve(EmbeddedDatabaseConfiguration.LOCK_FILE)).exists();
    }
}
