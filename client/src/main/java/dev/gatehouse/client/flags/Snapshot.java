package dev.gatehouse.client.flags;

import java.util.List;
import java.util.Set;

/**
 * Everything needed to evaluate every flag: the flags, the segments they use, and the kill switches. A killed
 * flag is off for everyone; {@code globalKill} turns every flag off.
 *
 * @param version an opaque tag of this content (the server's ETag), or null
 * @param killed names of active kill switches (a flag's key kills that flag)
 */
public record Snapshot(
        String version, List<Flag> flags, List<Segment> segments, Set<String> killed, boolean globalKill) {

    public static final Snapshot EMPTY = new Snapshot(null, List.of(), List.of(), Set.of(), false);

    public Snapshot {
        flags = Checks.list(flags, "flags");
        segments = Checks.list(segments, "segments");
        killed = killed == null ? Set.of() : Set.copyOf(killed);
    }
}
