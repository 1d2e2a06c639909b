package dev.gatehouse.metering;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * The body and answer of {@code POST /api/v1/usage/events}. Events are checked by hand, one by one, rather than
 * by Bean Validation: a bad event is rejected on its own, with its reason, and the rest of the batch still
 * counts. Only a body that is not JSON of this shape (a wrong type, an unknown member) is refused as a whole.
 */
final class UsageRequests {

    private UsageRequests() {}

    static final int MAX_BATCH = 1_000;

    /**
     * One usage event as sent. Every member is optional on the wire so that a missing one rejects this event,
     * not the batch.
     *
     * @param id the client's id for the event: a retry with the same id is a duplicate, never counted twice
     * @param org the organization it is for
     * @param meter the catalog meter it counts toward
     * @param value its value; 1 when absent for count and unique_count meters, required for the others
     * @param timestamp when it happened (RFC 3339); now when absent
     * @param properties flat string, number or boolean members (at most 20; keys up to 64 characters, strings
     *     up to 256)
     */
    @Schema(name = "UsageEventInput")
    record EventInput(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 128, example = "req_8f3a2c") @Nullable
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "uuid") @Nullable
            String org,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "api_calls") @Nullable
            String meter,

            @Nullable BigDecimal value,
            @Schema(format = "date-time") @Nullable String timestamp,
            @Nullable Map<String, Object> properties) {}

    /**
     * A batch ({@code events}, 1 to 1,000 of them) or one event given by its members at the top level.
     *
     * @param events the batch; absent when the body is one event
     */
    @Schema(name = "UsageEventsRequest")
    record Ingest(
            @Size(min = 1, max = MAX_BATCH) @Nullable List<EventInput> events,
            @Schema(maxLength = 128) @Nullable String id,
            @Schema(format = "uuid") @Nullable String org,
            @Nullable String meter,
            @Nullable BigDecimal value,
            @Schema(format = "date-time") @Nullable String timestamp,
            @Nullable Map<String, Object> properties) {

        /** The events of the body; refuses a body that is neither one event nor a batch of 1 to 1,000. */
        List<EventInput> list() {
            boolean single = id != null
                    || org != null
                    || meter != null
                    || value != null
                    || timestamp != null
                    || properties != null;
            if (events != null) {
                if (single) {
                    throw MeteringFailures.invalidField(
                            "events", "send either events (a batch) or one event's members, not both");
                }
                if (events.isEmpty() || events.size() > MAX_BATCH) {
                    throw MeteringFailures.invalidField("events", "size must be between 1 and " + MAX_BATCH);
                }
                for (EventInput e : events) {
                    if (e == null) throw MeteringFailures.invalidField("events", "must not hold null");
                }
                return events;
            }
            if (!single) throw MeteringFailures.invalidField("events", "must not be null (or send one event)");
            return List.of(new EventInput(id, org, meter, value, timestamp, properties));
        }
    }

    enum Status {
        ACCEPTED,
        DUPLICATE,
        REJECTED;

        private final String wire = name().toLowerCase(Locale.ROOT);

        @JsonValue
        String wire() {
            return wire;
        }
    }

    /**
     * What became of one event, in the order they were sent.
     *
     * @param id the event's id, as sent (absent if it had none)
     * @param code why it was rejected: invalid_id, invalid_org, unknown_org, org_not_allowed, unknown_meter,
     *     invalid_value, invalid_timestamp, too_late, in_future, invalid_properties or missing_property
     * @param reason the rejection for a person
     */
    @Schema(name = "UsageEventResult")
    @JsonSerialize(using = ResultWriter.class)
    record Result(
            @Nullable String id,
            Status status,
            @Nullable String code,
            @Nullable String reason) {

        static Result accepted(String id) {
            return new Result(id, Status.ACCEPTED, null, null);
        }

        static Result duplicate(String id) {
            return new Result(id, Status.DUPLICATE, null, null);
        }

        static Result rejected(@Nullable String id, String code, String reason) {
            return new Result(id, Status.REJECTED, code, reason);
        }
    }

    /**
     * Writes a {@link Result} as the bean serializer would (snake_case, null members left out), without its
     * per-member reflection: an answer holds a thousand of them, and writing them was a tenth of ingest's CPU
     * (JFR).
     */
    static final class ResultWriter extends StdSerializer<Result> {
        ResultWriter() {
            super(Result.class);
        }

        @Override
        public void serialize(Result r, JsonGenerator out, SerializationContext context) {
            out.writeStartObject(r);
            if (r.id() != null) out.writeStringProperty("id", r.id());
            out.writeStringProperty("status", r.status().wire());
            if (r.code() != null) out.writeStringProperty("code", r.code());
            if (r.reason() != null) out.writeStringProperty("reason", r.reason());
            out.writeEndObject();
        }
    }

    /**
     * The answer: how many events were accepted (counted now), duplicates (counted before, not again) and
     * rejected, and each event's result. Everything accepted or duplicate is committed before this answer.
     */
    @Schema(name = "UsageEventsResponse")
    record Answer(int accepted, int duplicates, int rejected, List<Result> results) {}
}
