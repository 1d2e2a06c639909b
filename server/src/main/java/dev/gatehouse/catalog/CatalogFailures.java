package dev.gatehouse.catalog;

import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.Problems;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** The catalog module's problems. */
final class CatalogFailures {

    private CatalogFailures() {}

    /** A plans.yml that cannot be used: every error, and the version that keeps serving. */
    static ApiException invalid(List<CatalogError> errors, int activeVersion) {
        Map<String, @Nullable Object> properties = new LinkedHashMap<>();
        properties.put(
                "catalog_errors", errors.stream().map(CatalogFailures::asMap).toList());
        properties.put("active_version", activeVersion);
        String first = errors.isEmpty() ? "" : " First: " + errors.getFirst() + ".";
        return Problems.of(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "catalog_invalid",
                "Invalid catalog",
                "The catalog file has " + errors.size() + (errors.size() == 1 ? " error" : " errors") + "; version "
                        + activeVersion + " stays in use." + first,
                properties);
    }

    static ApiException versionNotFound() {
        return Problems.notFound("Catalog version");
    }

    private static Map<String, Object> asMap(CatalogError e) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("file", e.file());
        map.put("path", e.path());
        map.put("line", e.line());
        map.put("column", e.column());
        map.put("reason", e.reason());
        return map;
    }
}
