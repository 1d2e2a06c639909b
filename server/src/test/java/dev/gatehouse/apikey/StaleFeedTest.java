package dev.gatehouse.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Poll;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A node that cannot read the change feed must not go on trusting its memory: after {@code stale-after} it asks
 * PostgreSQL on every verification, and once the feed works again it catches up on what changed meanwhile.
 */
class StaleFeedTest extends ApiKeyEndToEndTest {

    @Autowired
    private KeyChangeFeed feed;

    @Autowired
    private KeyCache cache;

    @Test
    void aNodeCutOffFromTheFeedStopsTrustingItsCacheAndCatchesUpAfterwards() {
        User owner = user("stale-feed");
        String service = serviceSecret();
        JsonNode first = orgKey(owner, owner.personalOrg(), "first");
        JsonNode second = orgKey(owner, owner.personalOrg(), "second");
        assertThat(verified(service, first.get("key").asString()).get("valid").asBoolean())
                .isTrue();
        assertThat(verified(service, second.get("key").asString()).get("valid").asBoolean())
                .isTrue();

        feed.stop();
        try {
            // Revoked behind this node's back (as another node would): only the feed would tell it.
            revokeInDatabase(first);
            Poll.untilTrue(Duration.ofSeconds(15), "the cache to go stale", () -> !cache.trusted());
            JsonNode answer = verified(service, first.get("key").asString());
            assertThat(answer.get("code").asString()).as("read from PostgreSQL").isEqualTo("revoked");
            revokeInDatabase(second);
        } finally {
            feed.start();
        }
        // The restart read everything changed while the feed was down, from where it had stopped.
        assertThat(cache.trusted()).isTrue();
        assertThat(verified(service, second.get("key").asString()).get("code").asString())
                .isEqualTo("revoked");
        assertThat(verified(service, first.get("key").asString()).get("code").asString())
                .isEqualTo("revoked");
    }

    private void revokeInDatabase(JsonNode key) {
        db.sql("update api_keys set revoked_at = now(), revoked_by = created_by where id = :id")
                .param("id", UUID.fromString(key.get("id").asString()))
                .update();
    }
}
