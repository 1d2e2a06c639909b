package dev.gatehouse.client.flags;

/**
 * A variant's payload: a {@code type} and its value as text. Unleash's types are string, json, csv and number;
 * the type is passed through as given, for the application to interpret.
 */
public record Payload(String type, String value) {

    public Payload {
        Checks.text(type, "payload type", 50);
        if (value == null) throw new IllegalArgumentException("payload value must not be null");
        if (value.length() > 65_536) throw new IllegalArgumentException("payload value must be at most 64 KiB");
    }
}
