package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.RowMapper;

/** Pages cut from limit-plus-one fetches, and the keyset's guard on what it splices into SQL. */
class PageTest {

    @Test
    void theExtraRowIsDroppedAndTheLastShownRowBecomesTheCursor() {
        Page<Integer> page = Page.of(List.of(1, 2, 3, 4), 3, n -> "after-" + n);
        assertThat(page.items()).containsExactly(1, 2, 3);
        assertThat(page.nextCursor()).isEqualTo("after-3");
        assertThat(page.map(n -> n * 10).items()).containsExactly(10, 20, 30);
        assertThat(page.map(n -> n * 10).nextCursor()).isEqualTo("after-3");
    }

    @Test
    void withoutAnExtraRowThereIsNoNextPage() {
        assertThat(Page.of(List.of(1, 2, 3), 3, n -> "after-" + n).nextCursor()).isNull();
        assertThat(Page.of(List.<Integer>of(), 3, n -> "after-" + n).items()).isEmpty();
    }

    @Test
    void keysetColumnsArePlainNames() {
        RowMapper<PageCursor> cursors = (rs, n) -> new PageCursor(Instant.EPOCH, UUID.randomUUID());
        assertThat(Keyset.oldestFirst("m.created_at", "m.org_id", cursors, c -> c))
                .isNotNull();
        assertThatThrownBy(() -> Keyset.newestFirst("created_at; drop table users", "id", cursors, c -> c))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keyset.newestFirst("created_at", "id desc", cursors, c -> c))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
