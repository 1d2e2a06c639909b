package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.support.EndToEndTest;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

/** The generic change feed on the running app's PostgreSQL, polled by hand to make each step explicit. */
class ChangeFeedTest extends EndToEndTest {

    @Autowired
    ChangeFeed feed;

    @Autowired
    TransactionTemplate tx;

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private String topic;

    @BeforeEach
    void subscribe() {
        // A topic per test: the app's own poller runs too, and other tests publish on their own topics.
        topic = "test-" + UUID.randomUUID().toString().substring(0, 8);
        feed.subscribe(topic, seen::add);
    }

    @Test
    void aCommittedChangeReachesTheSubscribersOfItsTopicOnce() {
        tx.executeWithoutResult(s -> feed.publish(topic, "org-1"));
        feed.subscribe(topic + "-other", s -> seen.add("wrong topic " + s));

        feed.poll();
        feed.poll();

        assertThat(seen).containsExactly("org-1");
        assertThat(feed.fresh()).isTrue();
    }

    @Test
    void aRolledBackChangeIsNeverDelivered() {
        tx.executeWithoutResult(s -> {
            feed.publish(topic, "rolled-back");
            s.setRollbackOnly();
        });

        feed.poll();

        assertThat(seen).isEmpty();
    }

    @Test
    void aChangeCommittedAfterAPollThatCoveredItsTimeIsStillDelivered() throws Exception {
        CountDownLatch published = new CountDownLatch(1);
        CountDownLatch polled = new CountDownLatch(1);
        Thread slow = Thread.ofVirtual()
                .start(() -> tx.executeWithoutResult(s -> {
                    feed.publish(topic, "late");
                    published.countDown();
                    try {
                        polled.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
        assertThat(published.await(10, TimeUnit.SECONDS)).isTrue();
        // This read's now() is after the row's changed_at, but the row is not committed yet.
        feed.poll();
        assertThat(seen).isEmpty();
        polled.countDown();
        slow.join(10_000);

        feed.poll();

        assertThat(seen).containsExactly("late");
    }

    @Test
    void publishingOutsideATransactionIsRefusedBecauseNoCommitWouldCarryIt() {
        assertThatThrownBy(() -> feed.publish(topic, "x")).isInstanceOf(IllegalTransactionStateException.class);
    }

    @Test
    void aBrokenSubscriberDoesNotStopTheOthers() {
        feed.subscribe(topic, s -> {
            throw new IllegalStateException("broken on purpose");
        });
        List<String> after = new CopyOnWriteArrayList<>();
        feed.subscribe(topic, after::add);
        tx.executeWithoutResult(s -> feed.publish(topic, "org-2"));

        feed.poll();

        assertThat(seen).containsExactly("org-2");
        assertThat(after).containsExactly("org-2");
    }

    @Test
    void theDatabaseRefusesAnEmptyTopic() {
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> feed.publish("", "x")))
                .isInstanceOf(DataAccessException.class);
    }
}
