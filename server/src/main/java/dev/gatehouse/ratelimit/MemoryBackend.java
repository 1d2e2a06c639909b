package dev.gatehouse.ratelimit;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single-node backend: one {@link Cell} per subject and policy, a map per policy (so a lookup needs no
 * composite key), decided by compare-and-set on the cell's TAT. Exact under any number of threads: a decision
 * that loses a race reads the new TAT and decides again.
 *
 * <p>Subjects whose allowance is full again (TAT in the past) hold no information, so {@link #sweep} removes
 * them; it first marks a cell {@link #DEAD} by CAS, and a decision that meets a dead cell replaces it, so no
 * admission is ever counted on a cell that has just left the map.
 */
final class MemoryBackend implements LimiterBackend {

    /** A TAT no decision can produce: the cell is being removed. */
    static final long DEAD = Long.MIN_VALUE;

    /** A TAT before any "now": never seen, or full again. */
    private static final long EMPTY = Long.MIN_VALUE + 1;

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Cell>> byPolicy = new ConcurrentHashMap<>();

    /** The map of the policy decided last: most decisions in a row are of one policy, so one lookup is saved. */
    private volatile PolicyCells last = new PolicyCells("", new ConcurrentHashMap<>());

    private record PolicyCells(String policy, ConcurrentHashMap<String, Cell> cells) {}

    /** The TAT (the value), and when a breach was last sampled. */
    static final class Cell extends AtomicLong {
        private final AtomicLong sampledAt = new AtomicLong(EMPTY);

        Cell() {
            super(EMPTY);
        }
    }

    @Override
    public String name() {
        return "memory";
    }

    private ConcurrentHashMap<String, Cell> cells(Policy policy) {
        PolicyCells l = last;
        // Identity, not equals: the same Policy's name instance, the common case, costs one comparison.
        if (l.policy() == policy.name()) return l.cells();
        ConcurrentHashMap<String, Cell> cells = byPolicy.get(policy.name());
        if (cells == null) cells = byPolicy.computeIfAbsent(policy.name(), n -> new ConcurrentHashMap<>());
        last = new PolicyCells(policy.name(), cells);
        return cells;
    }

    @Override
    public RateLimitDecision decide(String subject, Policy policy, long cost, long now) {
        ConcurrentHashMap<String, Cell> cells = cells(policy);
        Cell cell = cells.get(subject);
        if (cell == null) cell = cells.computeIfAbsent(subject, s -> new Cell());
        while (true) {
            long tat = cell.get();
            if (tat == DEAD) {
                Cell dead = cell;
                cell = cells.compute(
                        subject, (s, current) -> current == null || current == dead ? new Cell() : current);
                continue;
            }
            long newTat = Gcra.newTat(tat, now, policy, cost);
            if (now < newTat - policy.toleranceMicros()) return Gcra.denied(policy, tat, now, cost);
            if (cell.compareAndSet(tat, newTat)) return Gcra.allowed(policy, newTat, now);
        }
    }

    @Override
    public boolean firstBreach(String subject, Policy policy, long now, long intervalMicros) {
        Cell cell = cells(policy).get(subject);
        if (cell == null) return false;
        long last = cell.sampledAt.get();
        return (last == EMPTY || now - last >= intervalMicros) && cell.sampledAt.compareAndSet(last, now);
    }

    @Override
    public long clear(String subject, Collection<Policy> policies) {
        long cleared = 0;
        for (Policy policy : policies) {
            ConcurrentHashMap<String, Cell> cells = byPolicy.get(policy.name());
            if (cells != null && cells.remove(subject) != null) cleared++;
        }
        return cleared;
    }

    /**
     * Removes the cells whose TAT is not after {@code now} (full again, nothing to remember) and whose last
     * sampled breach is older than {@code sampleIntervalMicros} (so a sample is never taken twice in one interval).
     */
    int sweep(long now, long sampleIntervalMicros) {
        int removed = 0;
        for (ConcurrentHashMap<String, Cell> cells : byPolicy.values()) {
            for (var entry : cells.entrySet()) {
                Cell cell = entry.getValue();
                long tat = cell.get();
                long sampled = cell.sampledAt.get();
                boolean sampleOld = sampled == EMPTY || now - sampled >= sampleIntervalMicros;
                if (tat != DEAD && tat <= now && sampleOld && cell.compareAndSet(tat, DEAD)) {
                    cells.remove(entry.getKey(), cell);
                    removed++;
                }
            }
        }
        return removed;
    }

    boolean holds(String subject, Policy policy) {
        ConcurrentHashMap<String, Cell> cells = byPolicy.get(policy.name());
        return cells != null && cells.containsKey(subject);
    }

    /** Cells held, for the gauge. */
    long size() {
        long n = 0;
        for (ConcurrentHashMap<String, Cell> cells : byPolicy.values()) n += cells.size();
        return n;
    }
}
