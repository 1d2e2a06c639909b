package dev.gatehouse.credits;

import dev.gatehouse.credits.Ledger.Block;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Decides which blocks an amount comes out of: the spendable blocks in spending order, then, when the plan allows
 * overdraft, the organization's overdraft block down to the plan's limit. Runs under the organization's lock.
 */
@Component
class Spending {

    private final Ledger ledger;

    Spending(Ledger ledger) {
        this.ledger = ledger;
    }

    /** What the organization can spend now: its spendable blocks plus the overdraft block (zero or negative). */
    record Position(List<Block> blocks, @Nullable Block overdraft, long spendable) {

        /** The spendable amount less the overdraft already used (may be negative). */
        long available() {
            return spendable + (overdraft == null ? 0 : overdraft.remaining());
        }

        /** Whether taking the amount keeps the balance at or above minus the overdraft limit. */
        boolean covers(long amount, long overdraftLimit) {
            return available() - amount >= -overdraftLimit;
        }
    }

    Position position(UUID org, Instant now) {
        List<Block> blocks = ledger.spendable(org, now);
        long sum = blocks.stream().mapToLong(Block::remaining).sum();
        return new Position(blocks, ledger.overdraft(org), sum);
    }

    /**
     * The parts (block, amount) the amount is taken from; the caller checked {@link Position#covers}. A shortfall
     * of the blocks comes from the overdraft block, opened when missing.
     */
    List<Map.Entry<UUID, Long>> take(UUID org, Position position, long amount, Instant now) {
        List<Map.Entry<UUID, Long>> parts = new ArrayList<>(Ledger.take(position.blocks(), amount));
        long taken = parts.stream().mapToLong(Map.Entry::getValue).sum();
        if (taken < amount) {
            UUID overdraft = position.overdraft() != null ? position.overdraft().id() : ledger.overdraftBlock(org, now);
            parts.add(Map.entry(overdraft, amount - taken));
        }
        return parts;
    }
}
