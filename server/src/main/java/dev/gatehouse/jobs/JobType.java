package dev.gatehouse.jobs;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job type: its name (unique within the application, stored with every job) and the record its payload
 * is. Payloads are stored as JSON, written and read here by Jackson with snake_case names, whatever the
 * HTTP API's JSON settings are: a job queued by one release is run by the next, so this format is stored.
 *
 * <p>Every component of a payload record is required: a stored payload with one missing or null does not
 * run (it is dead at once, as retrying cannot fix it). Unknown members are ignored, so a node may run a job
 * that a newer node queued with more members.
 *
 * @param name such as {@code email.deliver}: lower case letters, digits, '.', '_' or '-'
 */
public record JobType<P extends Record>(String name, Class<P> payloadType) {

    private static final JsonMapper PAYLOADS = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(
                    DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public static <P extends Record> JobType<P> of(String name, Class<P> payloadType) {
        return new JobType<>(name, payloadType);
    }

    /** The payload as it is stored. */
    public String write(P payload) {
        return PAYLOADS.writeValueAsString(payload);
    }

    /** The stored payload; a {@link PermanentJobFailure} when it is not one of this type. */
    public P read(String json) {
        try {
            return PAYLOADS.readValue(json, payloadType);
        } catch (JacksonException e) {
            // The message names the type only: payloads may hold personal data, and errors are shown to admins.
            throw new PermanentJobFailure(
                    "The payload is not a " + payloadType.getSimpleName() + " of job type '" + name + "'", e);
        }
    }
}
