package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.billing.BillingEvent;
import dev.gatehouse.credits.CreditEvent;
import dev.gatehouse.identity.IdentityEvent;
import dev.gatehouse.metering.MeteringEvent;
import dev.gatehouse.organization.OrganizationEvent;
import dev.gatehouse.subscription.SubscriptionEvent;
import dev.gatehouse.support.EndToEndTest;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.events.core.EventSerializer;

/**
 * Every module event survives the event publication registry's round trip: serialized to the JSON stored in
 * {@code event_publication} and read back by the registry's own serializer (the app's JSON mapper, strict
 * input included), equal to what was published. Each record is filled in from its components' types, once
 * with every value set and once with every nullable one null, so a new event is covered when it joins its
 * module's sealed interface.
 */
class EventSerializationTest extends EndToEndTest {

    @Autowired
    EventSerializer serializer;

    static Stream<Class<?>> events() {
        return Stream.of(
                        IdentityEvent.class,
                        OrganizationEvent.class,
                        SubscriptionEvent.class,
                        MeteringEvent.class,
                        CreditEvent.class,
                        BillingEvent.class)
                .flatMap(family -> Arrays.stream(family.getPermittedSubclasses()));
    }

    @ParameterizedTest
    @MethodSource("events")
    void aPublishedEventReadsBackEqual(Class<?> type) throws Exception {
        for (boolean nullsWherePermitted : new boolean[] {false, true}) {
            Object event = sample(type, nullsWherePermitted);
            Object json = serializer.serialize(event);
            assertThat(json).isInstanceOf(String.class);
            assertThat(serializer.deserialize(json, type)).as(json.toString()).isEqualTo(event);
        }
    }

    private static Object sample(Class<?> type, boolean nullsWherePermitted) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            boolean nullable = components[i].getAnnotatedType().isAnnotationPresent(Nullable.class);
            values[i] = nullable && nullsWherePermitted ? null : value(components[i]);
        }
        return type.getDeclaredConstructor(types).newInstance(values);
    }

    private static Object value(RecordComponent component) {
        Class<?> type = component.getType();
        if (type == UUID.class) return UUID.randomUUID();
        if (type == String.class) return component.getName() + " value";
        // Microseconds, as PostgreSQL stores them and the clock is read.
        if (type == Instant.class) return Instant.parse("2025-03-04T05:06:07.123456Z");
        if (type == int.class) return 7;
        if (type == long.class) return 7L;
        if (type == java.math.BigDecimal.class) return new java.math.BigDecimal("1234.000000001");
        if (type == java.time.LocalDate.class) return java.time.LocalDate.of(2025, 3, 1);
        if (type == boolean.class) return true;
        if (type == Set.class
                && component.getGenericType() instanceof ParameterizedType set
                && set.getActualTypeArguments()[0] instanceof Class<?> element
                && element.isEnum()) {
            return Set.of(element.getEnumConstants()[0]);
        }
        if (type.isEnum()) return type.getEnumConstants()[type.getEnumConstants().length - 1];
        throw new AssertionError("no sample value for " + component + ": teach this test the new type");
    }
}
