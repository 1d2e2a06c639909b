package dev.gatehouse.catalog;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The plan catalog's settings ({@code gatehouse.catalog.*}).
 *
 * @param path where plans.yml is read from at start and on reload: a file system path, or {@code classpath:}
 *     followed by a resource (the default is the catalog shipped in the jar)
 */
@ConfigurationProperties("gatehouse.catalog")
record CatalogSettings(
        @DefaultValue(CatalogSettings.SHIPPED) String path) {

    static final String SHIPPED = "classpath:catalog/plans.yml";

    CatalogSettings {
        if (path.isBlank()) throw new IllegalArgumentException("gatehouse.catalog.path must not be blank");
    }
}
