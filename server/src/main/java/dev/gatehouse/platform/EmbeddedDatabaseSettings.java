package dev.gatehouse.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL used when no database URL is configured ({@code gatehouse.embedded-db.*}).
 *
 * @param dataDir where the cluster's files live; kept across restarts
 * @param port fixed port, or 0 for a free one
 * @param clean wipe the data directory on start (tests)
 * @param durable fsync and synchronous commit on, so an acknowledged write survives a crash of the
 *     machine, not just of the JVM; tests turn it off for speed
 */
@ConfigurationProperties("gatehouse.embedded-db")
record EmbeddedDatabaseSettings(
        @DefaultValue("./data/postgres") String dataDir,
        @DefaultValue("0") int port,
        @DefaultValue("false") boolean clean,
        @DefaultValue("true") boolean durable) {}
