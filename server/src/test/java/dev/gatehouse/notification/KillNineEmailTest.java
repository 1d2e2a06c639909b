package dev.gatehouse.notification;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.gatehouse.support.ChildNode;
import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Poll;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Nothing is lost when a node is killed with {@code kill -9} while emails wait for an SMTP server that is
 * down. A real Gatehouse process (a child JVM on its own fresh database in the test's PostgreSQL) queues
 * emails while SMTP does not answer and is SIGKILLed mid-retry, with deliveries in flight; a second
 * process is started on the same database with SMTP up, takes over the orphaned deliveries after their
 * missed heartbeats, and every acknowledged email must arrive. Here exactly once, since no attempt could
 * reach SMTP before the kill; in general delivery is at least once, with a stable Message-ID.
 */
class KillNineEmailTest extends EndToEndTest {

    private static final int EMAILS = 25;
    private static final Duration START = Duration.ofSeconds(90);

    @Autowired
    private DataSource dataSource;

    @Test
    void emailsQueuedWhileSmtpIsDownSurviveAKillNineAndArriveOnceSmtpIsBack() throws Exception {
        JdbcClient admin = JdbcClient.create(dataSource);
        String database = "kill9_" + UUID.randomUUID().toString().replace("-", "");
        admin.sql("create database " + database).update();
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        // "SMTP down" as the worst kind: connections are accepted (by the kernel) and then nothing is said,
        // so attempts hang until the SMTP read timeout and are in flight when the node dies.
        ServerSocket unresponsiveSmtp = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Child first = null;
        Child second = null;
        try {
            String url = ChildNode.jdbcUrl(dataSource, database);
            JdbcClient child = JdbcClient.create(ChildNode.dataSource(dataSource, url));
            first = Child.start("first", url, unresponsiveSmtp.getLocalPort(), EMAILS);
            first.await("READY", START);
            List<UUID> queued = first.queued();
            assertThat(queued).hasSize(EMAILS);
            // Kill it mid-retry: some deliveries failed already and others hang in an SMTP conversation.
            first.await("job_failed", Duration.ofSeconds(30));
            Poll.untilTrue(Duration.ofSeconds(10), "deliveries in flight", () -> inFlight(child) > 0);
            first.kill();
            assertThat(inFlight(child)).as("executions the dead node held").isPositive();
            assertThat(smtp.getReceivedMessages()).isEmpty();

            second = Child.start("second", url, smtp.getSmtp().getPort(), 0);
            second.await("READY", START);
            Poll.untilTrue(
                    Duration.ofSeconds(60),
                    EMAILS + " emails in the SMTP server",
                    () -> smtp.getReceivedMessages().length >= EMAILS);

            Map<String, Long> arrivals = List.of(smtp.getReceivedMessages()).stream()
                    .map(KillNineEmailTest::emailId)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            Map<String, Long> expected =
                    queued.stream().map(UUID::toString).collect(Collectors.toMap(Function.identity(), id -> 1L));
            assertThat(arrivals).as("each acknowledged email, exactly once").isEqualTo(expected);

            Poll.untilTrue(
                    Duration.ofSeconds(30),
                    "every email marked sent",
                    () -> child.sql("select count(*) from emails where status = 'sent'")
                                    .query(Long.class)
                                    .single()
                            == EMAILS);
            assertThat(child.sql("select max(attempts) from emails")
                            .query(Integer.class)
                            .single())
                    .as("delivery was retried across the kill")
                    .isGreaterThan(1);
        } finally {
            if (first != null) first.kill();
            if (second != null) second.stop();
            smtp.stop();
            unresponsiveSmtp.close();
            admin.sql("drop database if exists " + database + " with (force)").update();
        }
    }

    private static String emailId(MimeMessage message) {
        try {
            return message.getHeader("X-Gatehouse-Email-Id")[0];
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long inFlight(JdbcClient child) {
        return child.sql("select count(*) from scheduled_tasks where picked")
                .query(Long.class)
                .single();
    }

    /** One child JVM running Gatehouse; its output is kept in memory and in target/kill9-<name>.log. */
    private static final class Child {
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();

        private Child(Process process, Path log) throws IOException {
            this.process = process;
            Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
            Thread.ofVirtual().start(() -> {
                try (BufferedReader in = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                        out) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                        out.write(line);
                        out.write('\n');
                        out.flush();
                    }
                } catch (IOException e) {
                    // The process was killed and its pipe closed: nothing more to read.
                }
            });
        }

        static Child start(String name, String databaseUrl, int smtpPort, int emails) throws IOException {
            String java = ProcessHandle.current()
                    .info()
                    .command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString());
            List<String> command = new ArrayList<>(List.of(
                    java,
                    "-Xshare:auto",
                    "-XX:TieredStopAtLevel=1",
                    "-Xmx512m",
                    "-Doutbox.emails=" + emails,
                    "-cp",
                    System.getProperty("java.class.path"),
                    OutboxChild.class.getName(),
                    "--spring.profiles.active=test",
                    "--server.port=0",
                    "--spring.datasource.url=" + databaseUrl,
                    "--spring.mail.host=127.0.0.1",
                    "--spring.mail.port=" + smtpPort,
                    "--spring.mail.properties.mail.smtp.timeout=1500",
                    // Short retries and heartbeats, so the test takes seconds: a killed node's running jobs are
                    // taken over after six missed heartbeats.
                    "--gatehouse.mail.retry.initial-delay=200ms",
                    "--gatehouse.mail.retry.max-delay=1s",
                    "--gatehouse.mail.retry.max-attempts=1000",
                    "--gatehouse.jobs.poll-interval=200ms",
                    "--gatehouse.jobs.heartbeat-interval=1s"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().remove("GATEHOUSE_DATABASE_URL");
            Path log = Path.of("target", "kill9-" + name + ".log");
            return new Child(builder.start(), log);
        }

        void await(String marker, Duration timeout) {
            Poll.untilTrue(timeout, "'" + marker + "' from the child (see target/kill9-*.log)", () -> {
                if (!process.isAlive() && lines.stream().noneMatch(l -> l.contains(marker))) {
                    throw new AssertionError("Child exited with " + process.exitValue() + " before '" + marker + "'");
                }
                return lines.stream().anyMatch(l -> l.contains(marker));
            });
        }

        List<UUID> queued() {
            return lines.stream()
                    .filter(l -> l.startsWith("QUEUED "))
                    .map(l -> UUID.fromString(l.substring(7).trim()))
                    .toList();
        }

        /** SIGKILL on Linux: no shutdown hook, no graceful stop, connections simply vanish. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
        }
    }
}
