package dev.gatehouse.ratelimit;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A redis-server process of a test's own (Debian's package; {@code .ci/run} installs it), on a free port, so a
 * test can stop and start it without touching the machine's Redis.
 */
final class RedisServer implements AutoCloseable {

    private final int port;
    private Process process;

    RedisServer() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    RedisServer start() throws IOException {
        process = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(new File(System.getProperty("java.io.tmpdir"), "gatehouse-test-redis-" + port + ".log"))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!listening()) {
            if (!process.isAlive()) throw new IOException("redis-server exited: " + process.exitValue());
            if (System.nanoTime() > deadline) throw new IOException("redis-server did not listen on " + port);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return this;
    }

    /** Stops it (SIGTERM, no persistence configured): its data and script cache are gone. */
    void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        process = null;
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
