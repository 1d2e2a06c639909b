package dev.gatehouse.credits;

import dev.gatehouse.credits.Ledger.Leg;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A transaction's entries being put together: amounts on the same account and block add up; zeros drop out. */
final class Legs {

    private record Key(Account account, @Nullable UUID block) {}

    private final Map<Key, Long> sums = new LinkedHashMap<>();

    Legs add(Account account, @Nullable UUID block, long amount) {
        sums.merge(new Key(account, block), amount, Math::addExact);
        return this;
    }

    Legs add(Account account, long amount) {
        return add(account, null, amount);
    }

    boolean isEmpty() {
        return list().isEmpty();
    }

    List<Leg> list() {
        List<Leg> legs = new ArrayList<>();
        sums.forEach((k, v) -> {
            if (v != 0) legs.add(new Leg(k.account(), k.block(), v));
        });
        return legs;
    }

    /** The net amount on the account over all blocks. */
    long net(Account account) {
        return sums.entrySet().stream()
                .filter(e -> Objects.equals(e.getKey().account(), account))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }
}
