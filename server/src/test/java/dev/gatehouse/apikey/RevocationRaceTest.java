package dev.gatehouse.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Fifty clients verify one key in a loop while it is revoked. Once the revocation has answered, no
 * verification that starts afterwards may see the key valid, and no client that has seen it revoked may see it
 * valid again: the cache must never put back a state read before the revocation committed.
 */
class RevocationRaceTest extends ApiKeyEndToEndTest {

    private static final int THREADS = 50;

    /** One verification as a client saw it: when it was sent, and what it said. */
    private record Seen(long sentNanos, boolean valid) {}

    @Test
    void afterTheRevocationNoVerificationSeesTheKeyValidAgain() throws Exception {
        User owner = user("race");
        String service = serviceSecret();
        JsonNode created = orgKey(owner, owner.personalOrg(), "contested");
        String key = created.get("key").asString();

        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch warmedUp = new CountDownLatch(THREADS);
        CountDownLatch ranOn = new CountDownLatch(THREADS);
        AtomicLong revokedAt = new AtomicLong(Long.MAX_VALUE);
        List<Future<List<Seen>>> clients = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            for (int t = 0; t < THREADS; t++) {
                clients.add(pool.submit(() -> {
                    List<Seen> seen = new ArrayList<>();
                    int sinceRevocation = 0;
                    while (!stop.get()) {
                        long sent = System.nanoTime();
                        Http.Response r = verify(service, key);
                        assertThat(r.status()).as(r.toString()).isEqualTo(200);
                        seen.add(new Seen(sent, r.json().get("valid").asBoolean()));
                        if (seen.size() == 3) warmedUp.countDown();
                        if (sent > revokedAt.get() && ++sinceRevocation == 5) ranOn.countDown();
                    }
                    return seen;
                }));
            }
            assertThat(warmedUp.await(60, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();

            Http.Response revoked = http.delete(apiKeys(owner.personalOrg()) + "/"
                            + created.get("id").asString())
                    .bearer(owner.token())
                    .send();
            revokedAt.set(System.nanoTime());
            assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);
            // Every client runs on for five verifications sent after the revocation answered.
            assertThat(ranOn.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            stop.set(true);

            int validBefore = 0;
            int afterRevocation = 0;
            for (Future<List<Seen>> client : clients) {
                List<Seen> seen = client.get(60, java.util.concurrent.TimeUnit.SECONDS);
                boolean refused = false;
                for (Seen s : seen) {
                    if (!s.valid()) refused = true;
                    assertThat(refused && s.valid())
                            .as("valid again after this client saw it revoked")
                            .isFalse();
                    if (s.sentNanos() > revokedAt.get()) {
                        afterRevocation++;
                        assertThat(s.valid())
                                .as("valid in a verification sent after the revocation answered")
                                .isFalse();
                    } else if (s.valid()) {
                        validBefore++;
                    }
                }
                assertThat(refused).as("this client saw the revocation").isTrue();
            }
            assertThat(validBefore).isGreaterThanOrEqualTo(THREADS * 3);
            assertThat(afterRevocation).isGreaterThanOrEqualTo(THREADS);
        } finally {
            stop.set(true);
        }
    }
}
