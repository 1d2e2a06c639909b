package dev.gatehouse.platform;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Public API contract settings ({@code gatehouse.api.*}).
 *
 * @param changelogUrl where deprecated routes' {@code Link: rel="deprecation"} points; unset means
 *     {@code <gatehouse.http.public-url>/CHANGELOG.md}, the changelog served by the app
 */
@ConfigurationProperties("gatehouse.api")
record ApiSettings(@Nullable String changelogUrl) {

    String changelog(HttpSettings http) {
        return changelogUrl == null || changelogUrl.isBlank() ? http.base() + "/CHANGELOG.md" : changelogUrl;
    }
}
