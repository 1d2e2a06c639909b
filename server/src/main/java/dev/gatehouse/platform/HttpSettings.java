package dev.gatehouse.platform;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP edge settings ({@code gatehouse.http.*}).
 *
 * @param maxBodySize largest request body accepted; larger ones get 413
 * @param corsAllowedOrigins origins allowed to call the API from a browser; empty = none
 * @param publicUrl base URL used in emailed links and discovery documents
 */
@ConfigurationProperties("gatehouse.http")
public record HttpSettings(
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue List<String> corsAllowedOrigins,
        @DefaultValue("http://localhost:8080") String publicUrl) {

    /** The public URL without a trailing slash. */
    public String base() {
        return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }
}
