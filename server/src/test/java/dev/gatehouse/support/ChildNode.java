package dev.gatehouse.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.GatehouseApplication;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Gatehouse in a child JVM on its own port and database, for the tests that kill a node with SIGKILL mid-work and
 * check what a second node finds. Its output is kept in {@code target/kill9-<name>.log}.
 */
public final class ChildNode {

    private final Process process;
    private final int port;
    private final String name;

    private ChildNode(Process process, int port, String name) {
        this.process = process;
        this.port = port;
        this.name = name;
    }

    /** Starts the test classpath's Gatehouse on a free port against {@code databaseUrl}, plus any settings. */
    public static ChildNode start(String name, String databaseUrl, String... settings) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                GatehouseApplication.class.getName(),
                "--spring.profiles.active=test",
                "--server.address=127.0.0.1",
                "--server.port=" + port,
                "--spring.datasource.url=" + databaseUrl));
        command.addAll(List.of(settings));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "kill9-" + name + ".log").toFile());
        builder.environment().remove("GATEHOUSE_DATABASE_URL");
        return new ChildNode(builder.start(), port, name);
    }

    public Http http() {
        return new Http("http://127.0.0.1:" + port);
    }

    public void await(Duration timeout) {
        Poll.untilTrue(timeout, "the child to answer /health/ready (see target/kill9-" + name + ".log)", () -> {
            if (!process.isAlive()) throw new AssertionError("Child exited with " + process.exitValue());
            try {
                return http().get("/health/ready").send().status() == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
    }

    /** SIGKILL on Linux: no shutdown hook, no graceful stop, connections simply vanish. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
    }

    /** The JDBC URL of another database on the server the test's own data source points at. */
    public static String jdbcUrl(DataSource testDataSource, String database) throws SQLException {
        String url = testDataSource.unwrap(HikariDataSource.class).getJdbcUrl();
        return url.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
    }

    /** A plain data source for {@code url}, with the test data source's credentials: to read what a child wrote. */
    public static DataSource dataSource(DataSource testDataSource, String url) throws SQLException {
        HikariDataSource parent = testDataSource.unwrap(HikariDataSource.class);
        return new SimpleDriverDataSource(new org.postgresql.Driver(), url, parent.getUsername(), parent.getPassword());
    }

    /** The bootstrap admin's access token on {@code node}. */
    public static String adminToken(Http node) {
        Http.Response r = node.post("/api/v1/auth/login")
                .json("email", TestAccounts.ADMIN_EMAIL, "password", TestAccounts.ADMIN_PASSWORD)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("access_token").asString();
    }

    /** A new service key on {@code node}, made by the admin. */
    public static String serviceKey(Http node, String adminToken) {
        Http.Response r = node.post("/api/v1/admin/service-keys")
                .bearer(adminToken)
                .json("name", "kill -9 backend")
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("key").asString();
    }

    /** The first organization of the token's user: their personal one, on a fresh database. */
    public static UUID personalOrg(Http node, String token) {
        Http.Response r = node.get("/api/v1/orgs").bearer(token).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return UUID.fromString(r.json().get("data").get(0).get("id").asString());
    }
}
