package dev.gatehouse.platform;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * What the OpenAPI schemas of our records must say beyond what swagger-core reads from them. As a model
 * converter ahead of swagger-core's it learns which record each schema name stands for; once the document is
 * built, {@link #apply} fixes four things in those schemas:
 *
 * <ul>
 *   <li><b>required</b>: the API leaves out null members ({@code default-property-inclusion: non_null}) and
 *       every package is {@code @NullMarked}, so a record component is always present on the wire exactly
 *       when it is not {@code @Nullable}; that is what {@code required} lists. For request bodies this agrees
 *       with the validation annotations swagger-core already reads ({@code @NotNull} components are not
 *       {@code @Nullable}); the end-to-end suite validates every response against it;
 *   <li><b>non-blank strings</b>: {@code @NotBlank} and {@code @NotEmpty} mean at least one character or
 *       item, which swagger-core loses when {@code @Size(max = ...)} is also present ({@code minLength: 0});
 *   <li><b>raw JSON</b>: a {@code @JsonRawValue} string is written as the JSON it holds, so its schema is
 *       any JSON value, not a string;
 *   <li><b>no members</b>: a record without components is an object that takes no members (swagger-core
 *       says {@code {}}, any JSON).
 * </ul>
 *
 * It also refuses (the whole document) two records that would share one schema name: swagger-core names
 * schemas by simple class name and silently lets the last one win, which documented one record's fields for
 * another.
 */
final class ApiSchemaRules implements ModelConverter {

    private static final String REFS = "#/components/schemas/";

    private final UnaryOperator<String> wireName;
    private final Map<String, Class<?>> named = new ConcurrentHashMap<>();
    private final Set<String> clashes = ConcurrentHashMap.newKeySet();

    /** @param wireName the API mapper's naming strategy: a Java property name to its JSON member name */
    ApiSchemaRules(UnaryOperator<String> wireName) {
        this.wireName = wireName;
    }

    /** Notes which record each schema name stands for, as swagger-core resolves them; changes nothing yet. */
    @Override
    @SuppressWarnings("rawtypes")
    public @Nullable Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        if (!chain.hasNext()) return null;
        Schema schema = chain.next().resolve(type, context, chain);
        if (schema == null || type.getType() == null) return schema;
        Class<?> raw = Json31.mapper().constructType(type.getType()).getRawClass();
        if (!raw.isRecord()) return schema;
        String name = schema.getName();
        if (name == null && schema.get$ref() != null && schema.get$ref().startsWith(REFS)) {
            name = schema.get$ref().substring(REFS.length());
        }
        if (name != null) claim(name, raw);
        return schema;
    }

    /** Applies the rules to every component schema that stands for one of our records. */
    @SuppressWarnings("rawtypes")
    void apply(Map<String, Schema> components) {
        if (!clashes.isEmpty()) {
            throw new IllegalStateException("Records would share an OpenAPI schema name (swagger-core would document"
                    + " one with the other's members); give one @Schema(name = \"...\"): " + new TreeSet<>(clashes));
        }
        components.forEach((name, schema) -> {
            Class<?> record = named.get(name);
            if (record == null) return;
            if (record.getRecordComponents().length == 0) {
                // A body with no members (swagger-core says {}, any JSON): an object, and unknown members are refused.
                schema.types(Set.of("object")).additionalProperties(false);
            } else if (schema.getProperties() != null) {
                apply(record, schema);
            }
        });
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private void apply(Class<?> record, Schema schema) {
        Map<String, Schema> properties = schema.getProperties();
        List<String> required = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            String name = wireName(component);
            Schema property = properties.get(name);
            if (property == null) continue; // @JsonIgnore'd
            boolean listed = schema.getRequired() != null && ((List<String>) schema.getRequired()).contains(name);
            if (listed || !component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
                required.add(name);
            }
            if (annotated(component, JsonRawValue.class)) {
                properties.put(name, new Schema<>().description(property.getDescription()));
            } else if (annotated(component, NotBlank.class) || annotated(component, NotEmpty.class)) {
                atLeastOne(property);
            }
        }
        // In declaration order, so the document does not change with reflection's order.
        schema.setRequired(required.isEmpty() ? null : required);
    }

    @Override
    public boolean isOpenapi31() {
        return true;
    }

    private String wireName(RecordComponent component) {
        JsonProperty explicit = component.getAccessor().getAnnotation(JsonProperty.class);
        if (explicit == null) explicit = component.getAnnotation(JsonProperty.class);
        return explicit != null && !explicit.value().isEmpty() ? explicit.value() : wireName.apply(component.getName());
    }

    /**
     * Remembers a name's record, and a second record under a name taken. Throwing here would not do: springdoc
     * swallows a converter's exception and leaves the schema out, so {@link #apply} reports it instead.
     */
    private void claim(String name, Class<?> type) {
        Class<?> earlier = named.putIfAbsent(name, type);
        if (earlier != null && earlier != type) {
            clashes.add(name + ": " + earlier.getName() + " and " + type.getName());
        }
    }

    /**
     * Bean Validation annotations are both declaration and type-use annotations, so on a record component
     * they sit on the generated field and accessor, not on the component.
     */
    private static boolean annotated(RecordComponent component, Class<? extends java.lang.annotation.Annotation> a) {
        AnnotatedElement accessor = component.getAccessor();
        return accessor.isAnnotationPresent(a)
                || component.isAnnotationPresent(a)
                || component.getAnnotatedType().isAnnotationPresent(a);
    }

    @SuppressWarnings("rawtypes")
    private static void atLeastOne(Schema property) {
        if (is(property, "string")) {
            property.setMinLength(Math.max(1, property.getMinLength() == null ? 0 : property.getMinLength()));
        } else if (is(property, "array")) {
            property.setMinItems(Math.max(1, property.getMinItems() == null ? 0 : property.getMinItems()));
        }
    }

    @SuppressWarnings("rawtypes")
    static boolean is(Schema schema, String type) {
        return type.equals(schema.getType())
                || schema.getTypes() != null && schema.getTypes().contains(type);
    }
}
