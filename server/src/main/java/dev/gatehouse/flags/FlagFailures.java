package dev.gatehouse.flags;

import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.Problems;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** The flags module's problems, each a fact with a stable code. */
final class FlagFailures {

    private FlagFailures() {}

    static ApiException flagNotFound() {
        return Problems.notFound("Flag");
    }

    static ApiException segmentNotFound() {
        return Problems.notFound("Segment");
    }

    static ApiException flagExists(String key) {
        return Problems.conflict("flag_exists", "A flag with the key " + key + " exists already.");
    }

    /** A write based on a version that is no longer current; the body carries the current flag. */
    static ApiException versionConflict(long current, Object flag) {
        return Problems.of(
                HttpStatus.CONFLICT,
                "version_conflict",
                "Conflict",
                "The flag changed since version you read; the current version is " + current + ".",
                Map.of("current_version", current, "current", flag));
    }

    static ApiException invalidFlag(String detail) {
        return Problems.invalid("invalid_flag", detail);
    }

    static ApiException reservedKey() {
        return Problems.invalid(
                "reserved_key", "The key 'global' names the kill switch of every flag and cannot be a flag's key.");
    }

    static ApiException unknownSegment(String name) {
        return Problems.invalid("unknown_segment", "No segment is named " + name + ".");
    }

    static ApiException unknownDependency(String key) {
        return Problems.invalid("unknown_dependency", "No flag has the key " + key + " to depend on.");
    }

    static ApiException segmentInUse(String name, List<String> flags) {
        return Problems.of(
                HttpStatus.CONFLICT,
                "segment_in_use",
                "Conflict",
                "Segment " + name + " is used by " + flags.size() + " flag(s); remove it from them first.",
                Map.of("flags", flags));
    }

    static ApiException invalidUnleashDocument(String detail) {
        return Problems.invalid("invalid_unleash_document", detail);
    }

    static ApiException invalidName(String detail) {
        return Problems.invalid("invalid_name", detail);
    }
}
