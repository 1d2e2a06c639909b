package dev.gatehouse.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The plans.yml the end-to-end app reads ({@code gatehouse.catalog.path}): a copy of the shipped catalog under
 * {@code target/}, so a test can edit the file and reload it. Tests that change it restore it afterwards.
 */
public final class TestCatalog {

    public static final Path FILE = Path.of("target/test-catalog/plans.yml");

    private TestCatalog() {}

    /** The shipped catalog's text (the default in the jar). */
    public static String shipped() {
        try (InputStream in = TestCatalog.class.getClassLoader().getResourceAsStream("catalog/plans.yml")) {
            if (in == null) throw new IllegalStateException("catalog/plans.yml is not on the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the file the app reads. */
    public static void write(String text) {
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts the shipped catalog back in the file (not yet reloaded). */
    public static void restore() {
        write(shipped());
    }
}
